package io.cairn.router.capacity;

import io.cairn.core.Limits;

/**
 * DynamoDB's capacity-unit arithmetic.
 *
 * <p>A write costs one unit per started kilobyte of the larger of the item before and after, at
 * least one. A strongly consistent read costs one unit per started 4 KB, an eventually consistent
 * read half of that; Query and Scan round the total of all items read, not each item; a read that
 * finds nothing still costs the minimum.
 */
public final class Capacity {
  private Capacity() {}

  public static double writeUnits(long itemBytes) {
    return Math.max(1, ceilDiv(itemBytes, Limits.WRITE_UNIT_BYTES));
  }

  public static double readUnits(long bytesRead, boolean consistentRead) {
    long units = Math.max(1, ceilDiv(bytesRead, Limits.READ_UNIT_BYTES));
    return consistentRead ? units : units / 2.0;
  }

  private static long ceilDiv(long value, long divisor) {
    return (value + divisor - 1) / divisor;
  }
}
