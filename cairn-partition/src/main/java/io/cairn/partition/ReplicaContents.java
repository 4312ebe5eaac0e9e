package io.cairn.partition;

import io.cairn.core.Invariants;
import io.cairn.core.id.PartitionId;
import io.cairn.storage.HashRange;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyRange;
import io.cairn.storage.KeyspaceId;
import io.cairn.storage.StorageBatch;
import io.cairn.storage.StorageEngine;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Everything one partition replica keeps in a node's storage engine, which other partitions'
 * replicas share: the keys of its hash range in the table's keyspace and in each of the table's
 * local secondary indexes' keyspaces (an LSI entry has its base item's hash), and metadata
 * records: the partition's statistics, its LSIs' statistics and the sizes of the item collections
 * in its hash range. The applied index is the engine's and not counted here.
 *
 * <p>A replica copied whole from another (a snapshot) and a replica removed whole
 * ({@link PartitionApplier#forgetReplica}) both go by this list, so that nothing the applier
 * reads back is left behind or forgotten.
 *
 * @param localIndexes the keyspaces of the table's LSIs; an LSI is fixed when its table is created,
 *     so every replica of the partition has the same list
 */
public record ReplicaContents(PartitionId partition, KeyspaceId base, HashRange hashes, List<KeyspaceId> localIndexes) {
  /**
   * Item collection sizes are listed one bucket at a time (the first byte of their hash), so a
   * table with millions of partition keys is not read into memory at once.
   */
  private static final int COLLECTION_BUCKETS = 256;

  public ReplicaContents {
    localIndexes = List.copyOf(localIndexes);
    Invariants.check(new HashSet<>(localIndexes).size() == localIndexes.size() && !localIndexes.contains(base)
        && !localIndexes.contains(KeyspaceId.SYSTEM), "partition %s: bad local index keyspaces %s of table keyspace %s",
        partition, localIndexes, base);
  }

  /**
   * The contents of the partition whose items lie in {@code baseRange}, which must be a hash range
   * of one keyspace ({@link KeyCodec#hashRange} or {@link KeyCodec#keyspaceRange}).
   */
  public static ReplicaContents of(PartitionId partition, KeyRange baseRange, List<KeyspaceId> localIndexes) {
    byte[] lower = Arrays.copyOf(baseRange.lowerInclusive(), KeyCodec.PARTITION_KEY_OFFSET);
    byte[] upper = Arrays.copyOf(baseRange.upperExclusive(), KeyCodec.PARTITION_KEY_OFFSET);
    KeyspaceId base = new KeyspaceId(ByteBuffer.wrap(lower).getLong());
    long low = ByteBuffer.wrap(lower).getLong(8);
    // The upper bound is the successor of keyspace | high hash: keyspace | high + 1, or the next
    // keyspace when the range runs to the end of its own.
    long high = ByteBuffer.wrap(upper).getLong() == base.value() ? ByteBuffer.wrap(upper).getLong(8) - 1 : -1L;
    Invariants.check(Long.compareUnsigned(low, high) <= 0, "partition %s: key range %s is not a hash range",
        partition, baseRange);
    HashRange hashes = new HashRange(low, high);
    Invariants.check(KeyCodec.hashRange(base, hashes).equals(baseRange)
            || (hashes.equals(HashRange.FULL) && KeyCodec.keyspaceRange(base).equals(baseRange)),
        "partition %s: key range %s is not a hash range of one keyspace", partition, baseRange);
    return new ReplicaContents(partition, base, hashes, localIndexes);
  }

  /** The key ranges: the table's first, then each local index's in the order listed. */
  public List<KeyRange> keyRanges() {
    List<KeyRange> ranges = new ArrayList<>(1 + localIndexes.size());
    ranges.add(KeyCodec.hashRange(base, hashes));
    for (KeyspaceId index : localIndexes) {
      ranges.add(KeyCodec.hashRange(index, hashes));
    }
    return ranges;
  }

  /** The name of the partition's statistics record. */
  public String statsName() {
    return PartitionApplier.STATS_PREFIX + partition.value();
  }

  /** Adds the partition's statistics record to {@code batch}. */
  public void putStats(StorageBatch batch, PartitionStats stats) {
    batch.putMetadata(statsName(), stats.encode());
  }

  /**
   * Whether {@code name} is one of this replica's other metadata records: an LSI's statistics or
   * an item collection's size (not the partition's statistics, {@link #statsName}).
   */
  public boolean holdsRecord(String name) {
    for (KeyspaceId index : localIndexes) {
      if (name.equals(IndexWrites.indexStatsName(index, partition))) {
        return true;
      }
    }
    String collections = IndexWrites.collectionPrefix(base);
    if (!name.startsWith(collections) || name.length() < collections.length() + 16) {
      return false;
    }
    // Named by the collection's hash, 16 hex digits after the prefix.
    try {
      return hashes.contains(Long.parseUnsignedLong(name.substring(collections.length(), collections.length() + 16), 16));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Calls {@code record} with each of this replica's metadata records {@link #holdsRecord} accepts
   * that {@code engine} holds: the LSIs' statistics, then the item collection sizes in name order.
   * At most one bucket of the table's collection sizes on this engine is in memory at a time.
   */
  public void forEachRecord(StorageEngine engine, BiConsumer<String, byte[]> record) {
    for (KeyspaceId index : localIndexes) {
      String name = IndexWrites.indexStatsName(index, partition);
      byte[] value = engine.getMetadata(name);
      if (value != null) {
        record.accept(name, value);
      }
    }
    String collections = IndexWrites.collectionPrefix(base);
    for (int bucket = 0; bucket < COLLECTION_BUCKETS; bucket++) {
      long bucketLow = (long) bucket << 56;
      long bucketHigh = bucketLow | 0x00FF_FFFF_FFFF_FFFFL;
      if (Long.compareUnsigned(bucketHigh, hashes.lowInclusive()) < 0
          || Long.compareUnsigned(bucketLow, hashes.highInclusive()) > 0) {
        continue;
      }
      for (Map.Entry<String, byte[]> entry : engine.listMetadata(collections + String.format("%02x", bucket)).entrySet()) {
        if (holdsRecord(entry.getKey())) {
          record.accept(entry.getKey(), entry.getValue());
        }
      }
    }
  }
}
