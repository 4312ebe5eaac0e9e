package io.cairn.verify;

import java.util.Objects;

/**
 * One operation of a history: who issued it, on which key, what it did, and when it was invoked and
 * completed, in nanoseconds of one monotonic clock shared by all clients of the test. An operation
 * that never completed has {@code completedNanos == PENDING}: it may have taken effect at any time
 * after its invocation, or never.
 */
public record Operation(
    int id, ClientId client, String key, Command command, long invokedNanos, long completedNanos) {

  /** The completion time of an operation that never completed. */
  public static final long PENDING = Long.MAX_VALUE;

  public Operation {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(command, "command");
    if (invokedNanos < 0 || invokedNanos == PENDING) {
      throw new IllegalArgumentException("operation " + id + ": bad invocation time " + invokedNanos);
    }
    if (completedNanos < invokedNanos) {
      throw new IllegalArgumentException(
          "operation " + id + " completed (" + completedNanos + ") before it was invoked ("
              + invokedNanos + ")");
    }
    if (command instanceof Command.ConditionalPut c) {
      boolean unknown = c.outcome() == Command.Outcome.UNKNOWN;
      if (unknown != (completedNanos == PENDING)) {
        throw new IllegalArgumentException("operation " + id
            + ": a conditional write's outcome is UNKNOWN exactly when it never completed");
      }
    }
  }

  public static Operation completed(
      int id, ClientId client, String key, Command command, long invokedNanos, long completedNanos) {
    return new Operation(id, client, key, command, invokedNanos, completedNanos);
  }

  public static Operation pending(
      int id, ClientId client, String key, Command command, long invokedNanos) {
    return new Operation(id, client, key, command, invokedNanos, PENDING);
  }

  public boolean isPending() {
    return completedNanos == PENDING;
  }

  /** {@code this} completed strictly before {@code other} was invoked (real-time order). */
  public boolean precedes(Operation other) {
    return completedNanos < other.invokedNanos;
  }

  /** One readable line: {@code #12 c3 put("v7")  [1000 .. 2500]}. */
  public String describe() {
    return String.format("#%d %s %s  [%d .. %s]", id, client, Command.describe(command),
        invokedNanos, isPending() ? "never completed" : Long.toString(completedNanos));
  }

  Operation withCommand(Command replacement) {
    return new Operation(id, client, key, replacement, invokedNanos, completedNanos);
  }
}
