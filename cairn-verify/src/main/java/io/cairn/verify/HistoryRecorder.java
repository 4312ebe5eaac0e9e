package io.cairn.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records a history as a test runs: {@code invoke} before sending a request, one of the
 * {@code complete} methods when its reply arrives ({@link #fail} when the reply promises it had no
 * effect); anything not completed when {@link #history()}
 * is called is recorded as never completed. Times come from the caller's clock (this class reads
 * none). Methods are synchronized so that the client threads of a test can share one recorder.
 */
public final class HistoryRecorder {
  private record Invoked(ClientId client, String key, Command command, long invokedNanos) {}

  private final Map<Integer, Invoked> inFlight = new LinkedHashMap<>();
  private final List<Operation> done = new ArrayList<>();
  private int nextId;

  /** Records an invocation and returns the operation's id. */
  public synchronized int invoke(ClientId client, String key, Command command, long nowNanos) {
    int id = nextId++;
    inFlight.put(id, new Invoked(client, key, command, nowNanos));
    return id;
  }

  /** Completes a put or a delete (unconditional), which has no result. */
  public synchronized void complete(int id, long nowNanos) {
    Invoked inv = take(id);
    if (!(inv.command() instanceof Command.Put || inv.command() instanceof Command.Delete)) {
      throw new IllegalArgumentException("operation " + id + " needs a result: " + inv.command());
    }
    done.add(Operation.completed(id, inv.client(), inv.key(), inv.command(), inv.invokedNanos(),
        nowNanos));
  }

  /** Completes a get with the value it observed (empty: no item). */
  public synchronized void completeGet(int id, Optional<String> observed, long nowNanos) {
    Invoked inv = take(id);
    if (!(inv.command() instanceof Command.Get)) {
      throw new IllegalArgumentException("operation " + id + " is not a get: " + inv.command());
    }
    done.add(Operation.completed(id, inv.client(), inv.key(), new Command.Get(observed),
        inv.invokedNanos(), nowNanos));
  }

  /** Completes a conditional write; {@code succeeded} false means ConditionalCheckFailed. */
  public synchronized void completeConditional(int id, boolean succeeded, long nowNanos) {
    Invoked inv = take(id);
    if (!(inv.command() instanceof Command.ConditionalPut c)) {
      throw new IllegalArgumentException("operation " + id + " is not conditional: " + inv.command());
    }
    Command.Outcome outcome =
        succeeded ? Command.Outcome.SUCCEEDED : Command.Outcome.CONDITION_FAILED;
    done.add(Operation.completed(id, inv.client(), inv.key(),
        new Command.ConditionalPut(c.expected(), c.replacement(), outcome), inv.invokedNanos(),
        nowNanos));
  }

  /**
   * Records that an operation certainly did not take effect (the server said so with an error that
   * promises nothing was applied, such as ServiceUnavailable): it is left out of the history. Use
   * it only on that promise; an operation whose outcome is unknown (a timeout, an
   * InternalServerError) must stay uncompleted instead. Leaving the operation out makes the check
   * stricter: if the promise was broken and the value shows up, no operation explains it.
   */
  public synchronized void fail(int id) {
    take(id);
  }

  /** The history so far; operations still in flight are recorded as never completed. */
  public synchronized History history() {
    List<Operation> all = new ArrayList<>(done);
    inFlight.forEach((id, inv) -> {
      Command command = inv.command() instanceof Command.ConditionalPut c
          ? new Command.ConditionalPut(c.expected(), c.replacement(), Command.Outcome.UNKNOWN)
          : inv.command();
      all.add(Operation.pending(id, inv.client(), inv.key(), command, inv.invokedNanos()));
    });
    return new History(all);
  }

  private Invoked take(int id) {
    Invoked inv = inFlight.remove(id);
    if (inv == null) {
      throw new IllegalArgumentException("operation " + id + " was not invoked or already completed");
    }
    return inv;
  }
}
