package io.cairn.storage;

import java.math.BigInteger;

/**
 * An interval of the 64-bit hash space, both ends inclusive and compared unsigned, so the whole
 * space {@code [0, 2^64 - 1]} is representable without a 65th bit. A partition owns one hash
 * range of a keyspace; a parallel-scan segment is another.
 */
public record HashRange(long lowInclusive, long highInclusive) {
  public static final HashRange FULL = new HashRange(0L, -1L);
  private static final BigInteger SPACE = BigInteger.ONE.shiftLeft(64);

  public HashRange {
    if (Long.compareUnsigned(lowInclusive, highInclusive) > 0) {
      throw new IllegalArgumentException(
          "hash range low "
              + Long.toUnsignedString(lowInclusive)
              + " is above high "
              + Long.toUnsignedString(highInclusive));
    }
  }

  /** Segment {@code index} of {@code count} equal slices of the whole hash space. */
  public static HashRange segment(int index, int count) {
    if (count <= 0 || index < 0 || index >= count) {
      throw new IllegalArgumentException("segment " + index + " of " + count);
    }
    BigInteger total = BigInteger.valueOf(count);
    long low = SPACE.multiply(BigInteger.valueOf(index)).divide(total).longValue();
    long highExclusive = SPACE.multiply(BigInteger.valueOf(index + 1L)).divide(total).longValue();
    return new HashRange(low, highExclusive - 1);
  }

  public boolean contains(long hash) {
    return Long.compareUnsigned(hash, lowInclusive) >= 0
        && Long.compareUnsigned(hash, highInclusive) <= 0;
  }

  @Override
  public String toString() {
    return "[" + Long.toHexString(lowInclusive) + ".." + Long.toHexString(highInclusive) + "]";
  }
}
