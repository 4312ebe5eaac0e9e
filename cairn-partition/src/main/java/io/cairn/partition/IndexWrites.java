package io.cairn.partition;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.cairn.core.id.PartitionId;
import io.cairn.core.value.AttributeValue;
import io.cairn.core.value.ItemSize;
import io.cairn.partition.index.IndexSpec;
import io.cairn.partition.index.TableIndexes;
import io.cairn.storage.ItemCodec;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyspaceId;
import io.cairn.storage.StorageBatch;
import io.cairn.storage.StorageEngine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The index side of one storage batch of a base partition: LSI entries (written in the batch),
 * LSI statistics, item-collection sizes and GSI outbox records (written by {@link #finish}).
 * Everything is read from the engine at first use and carried forward through the batch, so
 * later commands of the same batch see earlier ones.
 */
final class IndexWrites {
  private final StorageEngine engine;
  private final PartitionId partition;
  private final Map<String, PartitionStats> indexStats = new LinkedHashMap<>();
  private final Map<String, Long> collectionBytes = new LinkedHashMap<>();
  private final List<byte[]> outboxValues = new ArrayList<>();
  private long outboxSequence = -1;
  private final List<WriteOutcome.IndexUnits> lastUnits = new ArrayList<>();
  private long firstSequence;

  IndexWrites(StorageEngine engine, PartitionId partition) {
    this.engine = engine;
    this.partition = partition;
  }

  int outboxRecords() {
    return outboxValues.size();
  }

  /**
   * Maintains the indexes for one item changing from {@code current} to {@code next} (null:
   * deleted). Returns DynamoDB's error when the write must be refused (index key of the wrong
   * type, item collection too large), having written nothing; otherwise null.
   */
  DynamoDbException maintain(
      TableIndexes indexes, byte[] baseKey, Map<String, AttributeValue> current, Map<String, AttributeValue> next,
      StorageBatch batch) {
    lastUnits.clear();
    if (next != null) {
      for (List<IndexSpec> specs : List.of(indexes.locals(), indexes.globals())) {
        for (IndexSpec spec : specs) {
          DynamoDbException invalid = spec.validate(next);
          if (invalid != null) {
            return invalid;
          }
        }
      }
    }
    if (!indexes.locals().isEmpty()) {
      DynamoDbException refused = maintainLocal(indexes, baseKey, current, next, batch);
      if (refused != null) {
        return refused;
      }
    }
    List<Outbox.Change> changes = new ArrayList<>();
    for (IndexSpec spec : indexes.globals()) {
      IndexSpec.Entry before = spec.entryOf(current);
      IndexSpec.Entry after = spec.entryOf(next);
      if (before == null && after == null) {
        continue;
      }
      boolean sameKey = before != null && after != null && Arrays.equals(before.key(), after.key());
      if (sameKey && before.item().equals(after.item())) {
        continue; // the write touched nothing this index projects
      }
      lastUnits.add(new WriteOutcome.IndexUnits(spec.name(), true, units(before, after)));
      changes.add(new Outbox.Change(spec.keyspace(),
          before != null && !sameKey ? before.key() : null,
          after == null ? null : after.key(),
          after == null ? null : ItemCodec.encode(after.item())));
    }
    if (!changes.isEmpty()) {
      addOutboxRecord(changes);
    }
    return null;
  }

  private DynamoDbException maintainLocal(
      TableIndexes indexes, byte[] baseKey, Map<String, AttributeValue> current, Map<String, AttributeValue> next,
      StorageBatch batch) {
    List<IndexSpec> locals = indexes.locals();
    IndexSpec.Entry[] before = new IndexSpec.Entry[locals.size()];
    IndexSpec.Entry[] after = new IndexSpec.Entry[locals.size()];
    long delta = (next == null ? 0 : ItemSize.of(next)) - (current == null ? 0 : ItemSize.of(current));
    for (int i = 0; i < locals.size(); i++) {
      before[i] = locals.get(i).entryOf(current);
      after[i] = locals.get(i).entryOf(next);
      delta += (after[i] == null ? 0 : after[i].sizeBytes()) - (before[i] == null ? 0 : before[i].sizeBytes());
    }
    Map<String, AttributeValue> item = next != null ? next : current;
    String collection = collectionName(locals.get(0), baseKey, item);
    long size = collectionBytes(collection) + delta;
    if (delta > 0 && size > indexes.itemCollectionBytesMax()) {
      return new DynamoDbException(ErrorType.ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED, "Collection size exceeded.");
    }
    collectionBytes.put(collection, Math.max(0, size));
    for (int i = 0; i < locals.size(); i++) {
      IndexSpec spec = locals.get(i);
      if (before[i] == null && after[i] == null) {
        continue;
      }
      boolean sameKey = before[i] != null && after[i] != null && Arrays.equals(before[i].key(), after[i].key());
      if (!(sameKey && before[i].item().equals(after[i].item()))) {
        lastUnits.add(new WriteOutcome.IndexUnits(spec.name(), false, units(before[i], after[i])));
      }
      if (before[i] != null && (after[i] == null || !Arrays.equals(before[i].key(), after[i].key()))) {
        batch.delete(before[i].key());
      }
      if (after[i] != null) {
        batch.put(after[i].key(), ItemCodec.encode(after[i].item()));
      }
      String statsName = indexStatsName(spec.keyspace(), partition);
      PartitionStats stats = indexStats.computeIfAbsent(statsName, n -> PartitionStats.decode(engine.getMetadata(n)));
      indexStats.put(statsName, stats.plus(
          (after[i] == null ? 0 : 1) - (before[i] == null ? 0 : 1),
          (after[i] == null ? 0 : after[i].sizeBytes()) - (before[i] == null ? 0 : before[i].sizeBytes())));
    }
    return null;
  }

  /** The index write units of the last {@link #maintain} call. */
  List<WriteOutcome.IndexUnits> lastUnits() {
    return List.copyOf(lastUnits);
  }

  private static double units(IndexSpec.Entry before, IndexSpec.Entry after) {
    if (before != null && after != null && Arrays.equals(before.key(), after.key())) {
      return writeUnits(Math.max(ItemSize.of(before.item()), ItemSize.of(after.item())));
    }
    return (before == null ? 0 : writeUnits(ItemSize.of(before.item())))
        + (after == null ? 0 : writeUnits(ItemSize.of(after.item())));
  }

  private static long writeUnits(long bytes) {
    return Math.max(1, (bytes + 1023) / 1024);
  }

  private long collectionBytes(String name) {
    return collectionBytes.computeIfAbsent(name, n -> Outbox.decodeLong(engine.getMetadata(n)));
  }

  void addOutboxRecord(List<Outbox.Change> changes) {
    if (outboxSequence < 0) {
      outboxSequence = Outbox.decodeLong(engine.getMetadata(Outbox.sequenceName(partition)));
      firstSequence = outboxSequence + 1;
    }
    outboxSequence++;
    outboxValues.add(Outbox.encode(changes));
  }

  /** Adds the statistics, collection sizes and outbox records gathered so far to the batch. */
  void finish(StorageBatch batch) {
    indexStats.forEach((name, stats) -> batch.putMetadata(name, stats.encode()));
    collectionBytes.forEach((name, bytes) -> {
      if (bytes == 0) {
        batch.deleteMetadata(name);
      } else {
        batch.putMetadata(name, Outbox.encodeLong(bytes));
      }
    });
    for (int i = 0; i < outboxValues.size(); i++) {
      batch.putMetadata(Outbox.name(partition, firstSequence + i), outboxValues.get(i));
    }
    if (!outboxValues.isEmpty()) {
      batch.putMetadata(Outbox.sequenceName(partition), Outbox.encodeLong(outboxSequence));
    }
  }

  static String indexStatsName(KeyspaceId index, PartitionId partition) {
    return PartitionApplier.INDEX_STATS_PREFIX + String.format("%016x/%016x", index.value(), partition.value());
  }

  /** collection/{base keyspace}/{hex of keyspace|hash|enc(pk)}: the byte size of one item collection. */
  static String collectionName(IndexSpec anyLocal, byte[] baseKey, Map<String, AttributeValue> item) {
    KeyspaceId base = new KeyspaceId(java.nio.ByteBuffer.wrap(baseKey, 0, 8).getLong());
    byte[] prefix = KeyCodec.partitionPrefix(base, item.get(anyLocal.basePartitionKey()));
    return collectionPrefix(base) + HexFormat.of().formatHex(prefix, 8, prefix.length);
  }

  static String collectionPrefix(KeyspaceId base) {
    return PartitionApplier.COLLECTION_PREFIX + String.format("%016x/", base.value());
  }
}
