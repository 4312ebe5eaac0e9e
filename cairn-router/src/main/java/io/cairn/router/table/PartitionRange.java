package io.cairn.router.table;

import io.cairn.core.id.PartitionId;

/**
 * One partition of a table: the items whose partition-key hash lies in [hashLow, hashHigh], both
 * bounds inclusive and compared unsigned. A table's ranges cover the whole 64-bit hash space
 * without overlap, so a split is a change to this list and moves no data.
 */
public record PartitionRange(PartitionId partitionId, long hashLow, long hashHigh) {
  public PartitionRange {
    if (Long.compareUnsigned(hashLow, hashHigh) > 0) {
      throw new IllegalArgumentException("empty hash range " + hashLow + ".." + hashHigh);
    }
  }

  public boolean contains(long hash) {
    return Long.compareUnsigned(hash, hashLow) >= 0 && Long.compareUnsigned(hash, hashHigh) <= 0;
  }
}
