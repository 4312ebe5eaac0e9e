package io.cairn.storage;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A half-open range of encoded keys, {@code [lowerInclusive, upperExclusive)}, compared as
 * unsigned bytes. Both bounds are always present: every key Cairn writes starts with an
 * eight-byte keyspace id below {@code 0x7F…}, so an upper bound always exists.
 */
public record KeyRange(byte[] lowerInclusive, byte[] upperExclusive) {
  public KeyRange {
    lowerInclusive = lowerInclusive.clone();
    upperExclusive = upperExclusive.clone();
  }

  public boolean isEmpty() {
    return Arrays.compareUnsigned(lowerInclusive, upperExclusive) >= 0;
  }

  /** The keys in both ranges (possibly an empty range). */
  public KeyRange intersect(KeyRange other) {
    byte[] lower = Arrays.compareUnsigned(lowerInclusive, other.lowerInclusive) >= 0 ? lowerInclusive : other.lowerInclusive;
    byte[] upper = Arrays.compareUnsigned(upperExclusive, other.upperExclusive) <= 0 ? upperExclusive : other.upperExclusive;
    return new KeyRange(lower, upper);
  }

  public boolean contains(byte[] key) {
    return Arrays.compareUnsigned(key, lowerInclusive) >= 0
        && Arrays.compareUnsigned(key, upperExclusive) < 0;
  }

  /**
   * The rest of this range after {@code lastKey} was returned by a cursor moving in
   * {@code direction}: how a paginated Query or Scan resumes.
   */
  public KeyRange resumeAfter(byte[] lastKey, Direction direction) {
    return switch (direction) {
      case FORWARD -> new KeyRange(KeyCodec.keySuccessor(lastKey), upperExclusive);
      case REVERSE -> new KeyRange(lowerInclusive, lastKey);
    };
  }

  /** The bounds themselves; callers must not modify them. */
  byte[] lowerUnsafe() {
    return lowerInclusive;
  }

  byte[] upperUnsafe() {
    return upperExclusive;
  }

  @Override
  public byte[] lowerInclusive() {
    return lowerInclusive.clone();
  }

  @Override
  public byte[] upperExclusive() {
    return upperExclusive.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyRange other
        && Arrays.equals(lowerInclusive, other.lowerInclusive)
        && Arrays.equals(upperExclusive, other.upperExclusive);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(lowerInclusive) + Arrays.hashCode(upperExclusive);
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "[" + hex.formatHex(lowerInclusive) + ", " + hex.formatHex(upperExclusive) + ")";
  }
}
