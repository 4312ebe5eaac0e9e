package io.cairn.server;

import io.cairn.partition.IndexPropagator;
import io.cairn.partition.PartitionHost;
import io.cairn.partition.PartitionStats;
import io.cairn.router.table.IndexBackfiller;
import io.cairn.router.table.IndexDefinition;
import io.cairn.router.table.PartitionRange;
import io.cairn.router.table.TableData;
import io.cairn.router.table.TableDefinition;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyspaceId;
import java.util.List;
import java.util.function.Supplier;

/** Table-level data operations answered by the node's partitions and the index propagator. */
final class PartitionTableData implements TableData {
  private final PartitionHost partitions;
  private final IndexPropagator propagator;
  private final Supplier<IndexBackfiller> backfiller;

  PartitionTableData(PartitionHost partitions, IndexPropagator propagator, Supplier<IndexBackfiller> backfiller) {
    this.partitions = partitions;
    this.propagator = propagator;
    this.backfiller = backfiller;
  }

  @Override
  public void drop(TableDefinition table) {
    List<KeyspaceId> locals = table.localIndexes().stream().map(IndexDefinition::keyspace).toList();
    partitions.drop(
            KeyCodec.keyspaceRange(KeyspaceId.of(table.tableId())),
            table.partitions().stream().map(PartitionRange::partitionId).toList(),
            PartitionHost.tableMetadataPrefixes(KeyspaceId.of(table.tableId()), locals))
        .join();
    // LSI entries live in their own keyspaces, written by the same applier: drop them after it.
    for (KeyspaceId local : locals) {
      partitions.drop(KeyCodec.keyspaceRange(local), List.of()).join();
    }
    for (IndexDefinition index : table.globalIndexes()) {
      dropIndex(table, index);
    }
  }

  @Override
  public TableStats stats(TableDefinition table) {
    return sum(table.partitions());
  }

  @Override
  public TableStats indexStats(TableDefinition table, IndexDefinition index) {
    if (index.global()) {
      return sum(index.partitions());
    }
    long items = 0;
    long bytes = 0;
    for (PartitionRange range : table.partitions()) {
      PartitionStats stats = partitions.localIndexStats(index.keyspace(), range.partitionId());
      items += stats.itemCount();
      bytes += stats.sizeBytes();
    }
    return new TableStats(items, bytes);
  }

  @Override
  public long pendingIndexChanges(TableDefinition table) {
    long pending = 0;
    for (PartitionRange range : table.partitions()) {
      pending += propagator.pendingRecords(range.partitionId());
    }
    return pending;
  }

  @Override
  public void dropIndex(TableDefinition table, IndexDefinition index) {
    propagator.dropIndex(index.keyspace(), KeyCodec.keyspaceRange(index.keyspace()),
        index.partitions().stream().map(PartitionRange::partitionId).toList()).join();
  }

  @Override
  public void startBackfill(TableDefinition table, IndexDefinition index) {
    backfiller.get().start(table.name(), index.name());
  }

  private TableStats sum(List<PartitionRange> ranges) {
    long items = 0;
    long bytes = 0;
    for (PartitionRange range : ranges) {
      PartitionStats stats = partitions.stats(range.partitionId());
      items += stats.itemCount();
      bytes += stats.sizeBytes();
    }
    return new TableStats(items, bytes);
  }
}
