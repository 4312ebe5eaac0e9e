package io.cairn.core;

/**
 * Always-on assertions (Java's {@code assert} is off by default). A failed invariant means Cairn
 * itself is wrong, never the client: it is reported as an internal error and logged loudly.
 */
public final class Invariants {
  private Invariants() {}

  public static void check(boolean condition, String what) {
    if (!condition) {
      throw new InvariantViolation(what);
    }
  }

  public static void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new InvariantViolation(String.format(format, args));
    }
  }

  /** Thrown when an invariant does not hold. Deliberately not a {@code DynamoDbException}. */
  public static final class InvariantViolation extends IllegalStateException {
    public InvariantViolation(String message) {
      super("invariant violated: " + message);
    }
  }
}
