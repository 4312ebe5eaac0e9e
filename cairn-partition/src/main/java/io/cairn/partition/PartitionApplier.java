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

  private final StorageEngine engine;

  public PartitionApplier(StorageEngine engine) {
    this.engine = engine;
  }

  /** Where a partition's log stands: its last applied index and its statistics after it. */
  public record Position(PartitionId partitionId, long appliedIndex, PartitionStats stats) {}

  /** The result of applying entries: one outcome per command, and the new position. */
  public record Applied(List<WriteOutcome> outcomes, Position position) {}

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
    try (StorageBatch batch = engine.newBatch()) {
      for (WriteCommand command : commands) {
        stats = applyOne(command, batch, written, stats, outcomes);
      }
      Invariants.check(stats.itemCount() >= 0, "partition %s item count went negative", from.partitionId());
      long index = from.appliedIndex() + commands.size();
      batch.putMetadata(STATS_PREFIX + from.partitionId().value(), stats.encode());
      engine.commit(batch, LogId.of(from.partitionId()), new LogIndex(index), durability);
      return new Applied(outcomes, new Position(from.partitionId(), index, stats));
    }
  }

  private PartitionStats applyOne(
      WriteCommand command, StorageBatch batch, Map<ByteBuffer, Map<String, AttributeValue>> written,
      PartitionStats stats, List<WriteOutcome> outcomes) {
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
}
