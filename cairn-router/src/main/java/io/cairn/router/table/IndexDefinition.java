package io.cairn.router.table;

import io.cairn.partition.index.IndexKeyAttribute;
import io.cairn.partition.index.IndexPartition;
import io.cairn.partition.index.IndexProjection;
import io.cairn.partition.index.IndexSpec;
import io.cairn.storage.KeyspaceId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A secondary index of a table, as the catalog keeps it.
 *
 * @param name the index name
 * @param global GSI or LSI
 * @param keyspaceId the index's own keyspace (allocated like table ids, never reused)
 * @param partitionKey index partition-key attributes (an LSI's is the table's)
 * @param sortKey index sort-key attributes
 * @param projection what the index copies
 * @param status CREATING (backfilling), ACTIVE or DELETING (GSIs; LSIs are always ACTIVE)
 * @param backfilling whether a backfill is still scanning the table
 * @param readCapacityUnits a GSI's provisioned reads (0 on demand)
 * @param writeCapacityUnits a GSI's provisioned writes (0 on demand)
 * @param partitions a GSI's partitions (empty for an LSI)
 */
public record IndexDefinition(
    String name,
    boolean global,
    long keyspaceId,
    List<IndexKeyAttribute> partitionKey,
    List<IndexKeyAttribute> sortKey,
    IndexProjection projection,
    String status,
    boolean backfilling,
    long readCapacityUnits,
    long writeCapacityUnits,
    List<PartitionRange> partitions) {

  public IndexDefinition {
    Objects.requireNonNull(name, "name");
    partitionKey = List.copyOf(partitionKey);
    sortKey = List.copyOf(sortKey);
    partitions = List.copyOf(partitions);
  }

  public KeyspaceId keyspace() {
    return new KeyspaceId(keyspaceId);
  }

  public IndexDefinition withStatus(String value, boolean nowBackfilling) {
    return new IndexDefinition(name, global, keyspaceId, partitionKey, sortKey, projection, value, nowBackfilling,
        readCapacityUnits, writeCapacityUnits, partitions);
  }

  public IndexDefinition withThroughput(long read, long write) {
    return new IndexDefinition(name, global, keyspaceId, partitionKey, sortKey, projection, status, backfilling,
        read, write, partitions);
  }

  /** The attributes every entry carries: index keys, then the table's keys. */
  public Set<String> keyAttributeNames(KeySchema table) {
    Set<String> names = new LinkedHashSet<>();
    partitionKey.forEach(a -> names.add(a.name()));
    sortKey.forEach(a -> names.add(a.name()));
    names.add(table.partitionKey());
    if (table.hasSortKey()) {
      names.add(table.sortKey());
    }
    return names;
  }

  /** The index's own key attributes, partition key first. */
  public List<IndexKeyAttribute> keyAttributes() {
    List<IndexKeyAttribute> all = new ArrayList<>(partitionKey);
    all.addAll(sortKey);
    return all;
  }

  /** Whether an attribute is one of the index's own key attributes (partition or sort). */
  public boolean isKeyAttribute(String attributeName) {
    for (IndexKeyAttribute attribute : keyAttributes()) {
      if (attribute.name().equals(attributeName)) {
        return true;
      }
    }
    return false;
  }

  public String arn(TableDefinition table) {
    return table.arn() + "/index/" + name;
  }

  /** What the partition layer needs to maintain this index. */
  public IndexSpec spec(TableDefinition table) {
    List<IndexPartition> ranges = new ArrayList<>();
    for (PartitionRange range : partitions) {
      ranges.add(new IndexPartition(range.partitionId(), range.hashLow(), range.hashHigh()));
    }
    return new IndexSpec(name, global, keyspace(), partitionKey, sortKey, table.keySchema().partitionKey(),
        table.keySchema().sortKey(), projection, ranges);
  }
}
