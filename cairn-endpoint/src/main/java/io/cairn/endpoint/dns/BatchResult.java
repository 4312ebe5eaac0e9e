package io.cairn.endpoint.dns;

/** What a provider did with a batch: all of it, or none of it and why. */
public sealed interface BatchResult {
  record Applied(long zoneSerial) implements BatchResult {}

  /** Nothing was changed. {@code changeIndex} is the first change that failed, -1 if none did. */
  record Rejected(Reason reason, int changeIndex, String detail) implements BatchResult {}

  enum Reason {
    /** CREATE of a key that exists. */
    ALREADY_EXISTS,
    /** DELETE of a record that is absent or differs. */
    NOT_FOUND_OR_DIFFERENT,
    /** A record outside the zone or otherwise malformed. */
    INVALID,
    /** The provider could not be reached; the batch may be retried as a whole. */
    UNAVAILABLE
  }

  default boolean applied() {
    return this instanceof Applied;
  }
}
