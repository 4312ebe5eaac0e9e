package io.cairn.partition.index;

import io.cairn.core.id.PartitionId;

/** One partition of a global secondary index: index-key hashes in [hashLow, hashHigh], unsigned. */
public record IndexPartition(PartitionId partitionId, long hashLow, long hashHigh) {
  public boolean contains(long hash) {
    return Long.compareUnsigned(hash, hashLow) >= 0 && Long.compareUnsigned(hash, hashHigh) <= 0;
  }
}
