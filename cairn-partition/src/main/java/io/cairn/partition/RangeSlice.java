package io.cairn.partition;

import io.cairn.core.id.PartitionId;
import io.cairn.storage.KeyRange;
import java.util.Objects;

/** The part of a key range that lies in one partition. */
public record RangeSlice(PartitionId partitionId, KeyRange range) {
  public RangeSlice {
    Objects.requireNonNull(partitionId, "partitionId");
    Objects.requireNonNull(range, "range");
  }
}
