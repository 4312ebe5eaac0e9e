package io.cairn.partition;

import io.cairn.core.Invariants;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.id.LogIndex;
import io.cairn.core.id.PartitionId;
import io.cairn.core.value.AttributeValue;
import io.cairn.storage.Durability;
import io.cairn.storage.ItemCodec;
import io.cairn.storage.LogId;
import io.cairn.storage.StorageBatch;
import io.cairn.storage.StorageEngine;
import io.cairn.partition.index.IndexCatalog;
import io.cairn.partition.index.IndexSpec;
import io.cairn.partition.index.TableIndexes;
import io.cairn.storage.KeyspaceId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies consecutive entries of one partition's command log to the storage engine: each command
 * through {@link ItemMutation} against the item as the previous entries left it, all of them in
 * one storage batch together with the partition's new applied index and statistics.
 *
 * <p>This is a partition's state machine. The single-process {@link PartitionHost} calls it with
 * the commands its queue collected; a replication group calls it with the entries its log
 * committed. Either way every replica that applies the same entries reaches the same state.
 */
public final class PartitionApplier {
  static final String STATS_PREFIX = "partition-stats/";

  static final String INDEX_STATS_PREFIX = "index-stats/";
  static final String COLLECTION_PREFIX = "collection/";

  private final StorageEngine engine;
  private final IndexCatalog indexes;
  private final OutboxListener outboxListener;

  /** Told after a commit that wrote outbox records, so the propagator can drain them promptly. */
  public interface OutboxListener {
    OutboxListener NONE = (partition, records) -> {};

    void written(PartitionId partition, int records);
  }

  /** An applier that maintains no secondary indexes. */
  public PartitionApplier(StorageEngine engine) {
    this(engine, IndexCatalog.NONE, OutboxListener.NONE);
  }

  /**
   * An applier that maintains the indexes {@code indexes} names: LSI entries in the same batch as
   * the base item, GSI changes as outbox records in that batch.
   */
  public PartitionApplier(StorageEngine engine, IndexCatalog indexes, OutboxListener outboxListener) {
    this.engine = engine;
    this.indexes = indexes;
    this.outboxListener = outboxListener;
  }

  /** Where a partition's log stands: its last applied index and its statistics after it. */
  public record Position(PartitionId partitionId, long appliedIndex, PartitionStats stats) {}

  /** The result of applying entries: one outcome per command, and the new position. */
  public record Applied(List<WriteOutcome> outcomes, Position position) {}

  /**
   * Adds to {@code batch} the removal of one partition replica from {@code engine}: its items (the
   * partition's hash range in the table's keyspace and in each local index's), its applied index,
   * its statistics and those of its local indexes, and the item collection sizes it kept. After
   * it, a replica of the same partition created on this engine starts from nothing, as a new
   * replica must (one that found a stale applied index would skip the entries below it).
   */
  public static void forgetReplica(StorageEngine engine, StorageBatch batch, PartitionId partition, KeyspaceId base,
      io.cairn.storage.HashRange hashes, List<KeyspaceId> localIndexes) {
    ReplicaContents contents = new ReplicaContents(partition, base, hashes, localIndexes);
    contents.keyRanges().forEach(batch::deleteRange);
    contents.forEachRecord(engine, (name, value) -> batch.deleteMetadata(name));
    batch.deleteMetadata(contents.statsName());
    batch.forgetAppliedIndex(LogId.of(partition));
  }

  /**
   * The keyspaces of the local secondary indexes of the table stored in {@code base}, in the
   * catalog's order; empty for a table without any (or one the catalog does not know).
   */
  public List<KeyspaceId> localIndexKeyspaces(KeyspaceId base) {
    TableIndexes tableIndexes = indexes.indexesOf(base);
    if (tableIndexes == null) {
      return List.of();
    }
    return tableIndexes.locals().stream().map(IndexSpec::keyspace).toList();
  }

  /** The position stored for a partition (index 0 and empty statistics for a new one). */
  public Position load(PartitionId partition) {
    return new Position(partition, engine.appliedIndex(LogId.of(partition)).value(),
        PartitionStats.decode(engine.getMetadata(STATS_PREFIX + partition.value())));
  }

  /**
   * Applies {@code commands} as the entries after {@code from} and commits them atomically.
   *
   * @param from the partition's position before these entries
   */
  public Applied apply(Position from, List<WriteCommand> commands, Durability durability) {
    List<WriteOutcome> outcomes = new ArrayList<>(commands.size());
    // Items written earlier in this batch, so later commands on the same key see them.
    Map<ByteBuffer, Map<String, AttributeValue>> written = new HashMap<>();
    PartitionStats stats = from.stats();
    IndexWrites indexWrites = new IndexWrites(engine, from.partitionId());
    try (StorageBatch batch = engine.newBatch()) {
      for (WriteCommand command : commands) {
        stats = applyOne(command, batch, written, stats, outcomes, indexWrites);
      }
      Invariants.check(stats.itemCount() >= 0, "partition %s item count went negative", from.partitionId());
      long index = from.appliedIndex() + commands.size();
      batch.putMetadata(STATS_PREFIX + from.partitionId().value(), stats.encode());
      indexWrites.finish(batch);
      engine.commit(batch, LogId.of(from.partitionId()), new LogIndex(index), durability);
      if (indexWrites.outboxRecords() > 0) {
        outboxListener.written(from.partitionId(), indexWrites.outboxRecords());
      }
      return new Applied(outcomes, new Position(from.partitionId(), index, stats));
    }
  }

  /**
   * Writes outbox records that put the current entries of {@code baseKeys}' items into a new
   * global index (a backfill step). It runs on the partition's applier thread, between log
   * entries, so each record states the item as of its place in the partition's order, and the
   * propagator applies it in that order with the writes around it. Commits without advancing the
   * applied index: it changes no item. Returns the number of entries it queued.
   */
  public int backfill(PartitionId partition, IndexSpec index, List<byte[]> baseKeys, Durability durability) {
    List<Outbox.Change> changes = new ArrayList<>();
    for (byte[] baseKey : baseKeys) {
      byte[] stored = engine.get(baseKey);
      if (stored == null) {
        continue;
      }
      IndexSpec.Entry entry = index.entryOf(ItemCodec.decode(stored));
      if (entry != null) {
        changes.add(new Outbox.Change(index.keyspace(), null, entry.key(), ItemCodec.encode(entry.item())));
      }
    }
    if (changes.isEmpty()) {
      return 0;
    }
    IndexWrites indexWrites = new IndexWrites(engine, partition);
    try (StorageBatch batch = engine.newBatch()) {
      indexWrites.addOutboxRecord(changes);
      indexWrites.finish(batch);
      engine.commit(batch, durability);
    }
    outboxListener.written(partition, 1);
    return changes.size();
  }

  private PartitionStats applyOne(
      WriteCommand command, StorageBatch batch, Map<ByteBuffer, Map<String, AttributeValue>> written,
      PartitionStats stats, List<WriteOutcome> outcomes, IndexWrites indexWrites) {
    ByteBuffer key = ByteBuffer.wrap(command.storageKey());
    Map<String, AttributeValue> current;
    if (written.containsKey(key)) {
      current = written.get(key);
    } else {
      byte[] stored = engine.get(command.storageKey());
      current = stored == null ? null : ItemCodec.decode(stored);
    }
    ItemMutation.Result result;
    try {
      result = ItemMutation.apply(command, current);
    } catch (DynamoDbException e) {
      result = new ItemMutation.Result(ItemMutation.UNCHANGED, new WriteOutcome.Rejected(e));
    }
    Map<String, AttributeValue> next = result.newItem();
    PartitionStats after = stats;
    TableIndexes tableIndexes = next == ItemMutation.UNCHANGED ? null : indexes.indexesOf(keyspaceOf(command.storageKey()));
    if (tableIndexes != null && !tableIndexes.isEmpty()) {
      DynamoDbException refused = indexWrites.maintain(tableIndexes, command.storageKey(), current, next, batch);
      if (refused != null) {
        next = ItemMutation.UNCHANGED;
        result = new ItemMutation.Result(next, new WriteOutcome.Rejected(refused));
      } else if (result.outcome() instanceof WriteOutcome.Applied applied && !indexWrites.lastUnits().isEmpty()) {
        result = new ItemMutation.Result(next, new WriteOutcome.Applied(
            applied.returned(), applied.oldItemBytes(), applied.newItemBytes(), indexWrites.lastUnits()));
      }
    }
    if (next != ItemMutation.UNCHANGED) {
      WriteOutcome.Applied applied = (WriteOutcome.Applied) result.outcome();
      if (next == null) {
        batch.delete(command.storageKey());
        written.put(key, null);
        after = stats.plus(-1, -applied.oldItemBytes());
      } else {
        batch.put(command.storageKey(), ItemCodec.encode(next));
        written.put(key, next);
        after = stats.plus(current == null ? 1 : 0, applied.newItemBytes() - applied.oldItemBytes());
      }
    }
    outcomes.add(result.outcome());
    return after;
  }

  private static KeyspaceId keyspaceOf(byte[] storageKey) {
    return new KeyspaceId(ByteBuffer.wrap(storageKey, 0, 8).getLong());
  }
}
