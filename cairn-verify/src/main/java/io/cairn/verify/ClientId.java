package io.cairn.verify;

/**
 * A client (Jepsen's "process") in a recorded history: it issues one operation at a time. A client
 * whose operation never completed (crash, timeout) must continue, if at all, under a new id, since
 * its unfinished operation may still take effect at any later time.
 */
public record ClientId(int value) {
  public ClientId {
    if (value < 0) {
      throw new IllegalArgumentException("client id must not be negative: " + value);
    }
  }

  @Override
  public String toString() {
    return "c" + value;
  }
}
