package io.cairn.server;

import io.cairn.partition.PartitionHost;
import io.cairn.partition.PartitionStats;
import io.cairn.router.table.PartitionRange;
import io.cairn.router.table.TableData;
import io.cairn.router.table.TableDefinition;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyspaceId;

/** Table-level data operations answered by the node's partitions. */
final class PartitionTableData implements TableData {
  private final PartitionHost partitions;

  PartitionTableData(PartitionHost partitions) {
    this.partitions = partitions;
  }

  @Override
  public void drop(TableDefinition table) {
    partitions.drop(
            KeyCodec.keyspaceRange(KeyspaceId.of(table.tableId())),
            table.partitions().stream().map(PartitionRange::partitionId).toList())
        .join();
  }

  @Override
  public TableStats stats(TableDefinition table) {
    long items = 0;
    long bytes = 0;
    for (PartitionRange range : table.partitions()) {
      PartitionStats stats = partitions.stats(range.partitionId());
      items += stats.itemCount();
      bytes += stats.sizeBytes();
    }
    return new TableStats(items, bytes);
  }
}
