package io.cairn.router.item;

import io.cairn.partition.RangeSlice;
import io.cairn.router.table.PartitionRange;
import io.cairn.storage.Direction;
import io.cairn.storage.HashRange;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyRange;
import io.cairn.storage.KeyspaceId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts a key range of a keyspace at partition boundaries: a Scan's range spans every partition of
 * the table (or of a GSI), a Query's lies in one. Keys of a keyspace are ordered by partition-key
 * hash first, so the partitions' hash ranges, in hash order, visit the keys in key order.
 */
final class Slices {
  private Slices() {}

  /**
   * The non-empty parts of {@code range} in each of {@code owners}' partitions, in the order a
   * cursor moving in {@code direction} meets them.
   */
  static List<RangeSlice> of(KeyspaceId keyspace, List<PartitionRange> owners, KeyRange range, Direction direction) {
    List<PartitionRange> ordered = new ArrayList<>(owners);
    ordered.sort(Comparator.comparing(PartitionRange::hashLow, Long::compareUnsigned));
    List<RangeSlice> slices = new ArrayList<>(ordered.size());
    for (PartitionRange owner : ordered) {
      KeyRange part = range.intersect(KeyCodec.hashRange(keyspace, new HashRange(owner.hashLow(), owner.hashHigh())));
      if (!part.isEmpty()) {
        slices.add(new RangeSlice(owner.partitionId(), part));
      }
    }
    if (direction == Direction.REVERSE) {
      java.util.Collections.reverse(slices);
    }
    return slices;
  }
}
