package io.cairn.server.cluster;

import io.cairn.core.error.DynamoDbException;
import io.cairn.metadata.MetadataClient;
import io.cairn.metadata.MetadataCommand;
import io.cairn.metadata.MetadataUnavailableException;
import io.cairn.replication.ReplicatedPartitionAccess;
import io.cairn.router.table.IndexDefinition;
import io.cairn.router.table.PartitionRange;
import io.cairn.router.table.TableData;
import io.cairn.router.table.TableDefinition;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table-level data operations of a cluster router: statistics are read from each partition's
 * leader; dropping a table unassigns its partitions in the metadata service, and each storage node
 * then removes its replicas and their items (the node's reconciler, {@link StorageProcess}).
 */
final class ClusterTableData implements TableData {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterTableData.class);

  private final MetadataClient metadata;
  private final ReplicatedPartitionAccess partitions;

  ClusterTableData(MetadataClient metadata, ReplicatedPartitionAccess partitions) {
    this.metadata = metadata;
    this.partitions = partitions;
  }

  @Override
  public void drop(TableDefinition table) {
    for (PartitionRange range : table.partitions()) {
      try {
        metadata.setPartitionReplicas(range.partitionId(), List.of(), "", MetadataCommand.ANY_VERSION);
      } catch (MetadataUnavailableException e) {
        // The table is already gone from the catalog; auto-admin unassigns orphaned partitions.
        LOG.warn("table {} partition {} left assigned after its delete; auto-admin will unassign it",
            table.name(), range.partitionId(), e);
      }
    }
  }

  @Override
  public TableStats stats(TableDefinition table) {
    return sum(table.partitions(), null);
  }

  @Override
  public TableStats indexStats(TableDefinition table, IndexDefinition index) {
    return index.global() ? new TableStats(0, 0) : sum(table.partitions(), index);
  }

  /**
   * DynamoDB updates these figures about every six hours, so they are a courtesy: a partition that
   * does not answer counts as empty rather than failing DescribeTable.
   */
  private TableStats sum(List<PartitionRange> ranges, IndexDefinition localIndex) {
    long items = 0;
    long bytes = 0;
    for (PartitionRange range : ranges) {
      try {
        long[] stats = partitions.stats(range.partitionId(), localIndex == null ? null : localIndex.keyspace());
        items += stats[0];
        bytes += stats[1];
      } catch (DynamoDbException e) {
        LOG.debug("partition {} did not report its statistics: {}", range.partitionId(), e.getMessage());
      }
    }
    return new TableStats(items, bytes);
  }
}
