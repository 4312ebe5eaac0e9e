package io.cairn.core.id;

/** A position in a partition's command log; 0 means nothing applied yet. */
public record LogIndex(long value) implements Comparable<LogIndex> {
  public static final LogIndex NONE = new LogIndex(0);

  public LogIndex {
    if (value < 0) {
      throw new IllegalArgumentException("log index must not be negative: " + value);
    }
  }

  public LogIndex next() {
    return new LogIndex(value + 1);
  }

  @Override
  public int compareTo(LogIndex other) {
    return Long.compare(value, other.value);
  }
}
