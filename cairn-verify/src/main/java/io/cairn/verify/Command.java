package io.cairn.verify;

import java.util.Objects;
import java.util.Optional;

/**
 * What one operation did to one key, with its result when the result is known. Values are opaque
 * strings (a test renders an item's interesting attribute, or the whole item, as a string); an
 * empty {@code Optional} means "the item does not exist".
 */
public sealed interface Command
    permits Command.Put, Command.Delete, Command.Get, Command.ConditionalPut {

  /** An unconditional PutItem: the key's value becomes {@code value}. */
  record Put(String value) implements Command {
    public Put {
      Objects.requireNonNull(value, "value");
    }
  }

  /** An unconditional DeleteItem: the key becomes absent. */
  record Delete() implements Command {}

  /**
   * A strongly consistent GetItem that observed {@code observed} (empty: no item). The observed
   * value of a get that never completed is ignored: a read without a result constrains nothing.
   */
  record Get(Optional<String> observed) implements Command {
    public Get {
      Objects.requireNonNull(observed, "observed");
    }
  }

  /**
   * A PutItem (or, with an empty {@code replacement}, a DeleteItem) with a condition that the
   * current value equals {@code expected} (empty: {@code attribute_not_exists}). The outcome is
   * {@link Outcome#UNKNOWN} exactly when the operation never completed.
   */
  record ConditionalPut(Optional<String> expected, Optional<String> replacement, Outcome outcome)
      implements Command {
    public ConditionalPut {
      Objects.requireNonNull(expected, "expected");
      Objects.requireNonNull(replacement, "replacement");
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  /** The result of a conditional write as the client saw it. */
  enum Outcome {
    SUCCEEDED,
    /** ConditionalCheckFailedException: the condition was false, nothing was written. */
    CONDITION_FAILED,
    /** No reply (timeout, crash): the write may or may not have taken effect. */
    UNKNOWN
  }

  static Put put(String value) {
    return new Put(value);
  }

  static Delete delete() {
    return new Delete();
  }

  static Get get(String observed) {
    return new Get(Optional.of(observed));
  }

  static Get getAbsent() {
    return new Get(Optional.empty());
  }

  /** A human-readable rendering for explanations: {@code put("a")}, {@code get -> absent}. */
  static String describe(Command command) {
    return switch (command) {
      case Put p -> "put(" + quote(p.value()) + ")";
      case Delete d -> "delete()";
      case Get g -> "get -> " + render(g.observed());
      case ConditionalPut c -> (c.replacement().isPresent()
              ? "put(" + quote(c.replacement().get()) + ")"
              : "delete()")
          + " if " + render(c.expected()) + " -> " + switch (c.outcome()) {
            case SUCCEEDED -> "ok";
            case CONDITION_FAILED -> "condition failed";
            case UNKNOWN -> "unknown";
          };
    };
  }

  private static String render(Optional<String> value) {
    return value.map(Command::quote).orElse("absent");
  }

  private static String quote(String value) {
    return "\"" + value + "\"";
  }
}
