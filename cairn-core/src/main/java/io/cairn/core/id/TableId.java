package io.cairn.core.id;

/** The internal, never-reused number of a table; the first component of every item key. */
public record TableId(long value) {
  public TableId {
    if (value <= 0) {
      throw new IllegalArgumentException("table id must be positive: " + value);
    }
  }

  @Override
  public String toString() {
    return "t" + value;
  }
}
