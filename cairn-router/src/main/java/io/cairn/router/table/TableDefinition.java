package io.cairn.router.table;

import io.cairn.core.id.TableId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the catalog knows about one table. Immutable: a change produces a new definition,
 * which the catalog persists before anyone sees it.
 *
 * @param name the table name clients use
 * @param tableId internal id, the first component of every item key of this table
 * @param externalId the UUID DescribeTable reports as TableId
 * @param arn the table's ARN
 * @param keySchema the primary key
 * @param attributeDefinitions declared attribute types, in the client's order
 * @param status lifecycle state
 * @param creationEpochMillis when the table was created
 * @param billingMode PROVISIONED or PAY_PER_REQUEST
 * @param readCapacityUnits provisioned reads per second (0 for on-demand)
 * @param writeCapacityUnits provisioned writes per second (0 for on-demand)
 * @param lastIncreaseEpochMillis last throughput increase, 0 if none
 * @param lastDecreaseEpochMillis last throughput decrease, 0 if none
 * @param decreasesToday throughput decreases in the current UTC day
 * @param billingModeChangeEpochMillis when the billing mode last changed to on-demand, 0 if never
 * @param deletionProtection whether DeleteTable is refused
 * @param tableClass STANDARD or STANDARD_INFREQUENT_ACCESS
 * @param tags resource tags, in insertion order
 * @param partitions the partition map, covering the whole hash space
 * @param indexes secondary indexes, LSIs and GSIs, in the order they were declared
 */
public record TableDefinition(
    String name,
    TableId tableId,
    String externalId,
    String arn,
    KeySchema keySchema,
    Map<String, String> attributeDefinitions,
    TableStatus status,
    long creationEpochMillis,
    BillingMode billingMode,
    long readCapacityUnits,
    long writeCapacityUnits,
    long lastIncreaseEpochMillis,
    long lastDecreaseEpochMillis,
    int decreasesToday,
    long billingModeChangeEpochMillis,
    boolean deletionProtection,
    String tableClass,
    List<Tag> tags,
    List<PartitionRange> partitions,
    List<IndexDefinition> indexes) {

  /** A table without secondary indexes. */
  public TableDefinition(
      String name, TableId tableId, String externalId, String arn, KeySchema keySchema,
      Map<String, String> attributeDefinitions, TableStatus status, long creationEpochMillis, BillingMode billingMode,
      long readCapacityUnits, long writeCapacityUnits, long lastIncreaseEpochMillis, long lastDecreaseEpochMillis,
      int decreasesToday, long billingModeChangeEpochMillis, boolean deletionProtection, String tableClass,
      List<Tag> tags, List<PartitionRange> partitions) {
    this(name, tableId, externalId, arn, keySchema, attributeDefinitions, status, creationEpochMillis, billingMode,
        readCapacityUnits, writeCapacityUnits, lastIncreaseEpochMillis, lastDecreaseEpochMillis, decreasesToday,
        billingModeChangeEpochMillis, deletionProtection, tableClass, tags, partitions, List.of());
  }

  public TableDefinition {
    indexes = List.copyOf(indexes);
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tableId, "tableId");
    Objects.requireNonNull(keySchema, "keySchema");
    attributeDefinitions = Map.copyOf(attributeDefinitions);
    tags = List.copyOf(tags);
    partitions = List.copyOf(partitions);
  }

  public TableDefinition withStatus(TableStatus value) {
    return new TableDefinition(name, tableId, externalId, arn, keySchema, attributeDefinitions, value,
        creationEpochMillis, billingMode, readCapacityUnits, writeCapacityUnits, lastIncreaseEpochMillis,
        lastDecreaseEpochMillis, decreasesToday, billingModeChangeEpochMillis, deletionProtection, tableClass,
        tags, partitions, indexes);
  }

  public TableDefinition withTags(List<Tag> value) {
    return new TableDefinition(name, tableId, externalId, arn, keySchema, attributeDefinitions, status,
        creationEpochMillis, billingMode, readCapacityUnits, writeCapacityUnits, lastIncreaseEpochMillis,
        lastDecreaseEpochMillis, decreasesToday, billingModeChangeEpochMillis, deletionProtection, tableClass,
        value, partitions, indexes);
  }

  public TableDefinition withDeletionProtection(boolean value) {
    return new TableDefinition(name, tableId, externalId, arn, keySchema, attributeDefinitions, status,
        creationEpochMillis, billingMode, readCapacityUnits, writeCapacityUnits, lastIncreaseEpochMillis,
        lastDecreaseEpochMillis, decreasesToday, billingModeChangeEpochMillis, value, tableClass, tags,
        partitions, indexes);
  }

  public TableDefinition withThroughput(
      BillingMode mode, long readUnits, long writeUnits, long increaseMillis, long decreaseMillis,
      int decreases, long billingChangeMillis) {
    return new TableDefinition(name, tableId, externalId, arn, keySchema, attributeDefinitions, status,
        creationEpochMillis, mode, readUnits, writeUnits, increaseMillis, decreaseMillis, decreases,
        billingChangeMillis, deletionProtection, tableClass, tags, partitions, indexes);
  }

  public TableDefinition withTableClass(String value) {
    return new TableDefinition(name, tableId, externalId, arn, keySchema, attributeDefinitions, status,
        creationEpochMillis, billingMode, readCapacityUnits, writeCapacityUnits, lastIncreaseEpochMillis,
        lastDecreaseEpochMillis, decreasesToday, billingModeChangeEpochMillis, deletionProtection, value, tags,
        partitions, indexes);
  }

  public TableDefinition withIndexes(List<IndexDefinition> value) {
    return new TableDefinition(name, tableId, externalId, arn, keySchema, attributeDefinitions, status,
        creationEpochMillis, billingMode, readCapacityUnits, writeCapacityUnits, lastIncreaseEpochMillis,
        lastDecreaseEpochMillis, decreasesToday, billingModeChangeEpochMillis, deletionProtection, tableClass, tags,
        partitions, value);
  }

  public TableDefinition withAttributeDefinitions(Map<String, String> value) {
    return new TableDefinition(name, tableId, externalId, arn, keySchema, value, status,
        creationEpochMillis, billingMode, readCapacityUnits, writeCapacityUnits, lastIncreaseEpochMillis,
        lastDecreaseEpochMillis, decreasesToday, billingModeChangeEpochMillis, deletionProtection, tableClass, tags,
        partitions, indexes);
  }

  /** The index of that name, or null. */
  public IndexDefinition index(String indexName) {
    for (IndexDefinition index : indexes) {
      if (index.name().equals(indexName)) {
        return index;
      }
    }
    return null;
  }

  public List<IndexDefinition> localIndexes() {
    return indexes.stream().filter(i -> !i.global()).toList();
  }

  public List<IndexDefinition> globalIndexes() {
    return indexes.stream().filter(IndexDefinition::global).toList();
  }

  /** The partition that owns a partition-key hash. */
  public PartitionRange partitionFor(long hash) {
    for (PartitionRange range : partitions) {
      if (range.contains(hash)) {
        return range;
      }
    }
    throw new IllegalStateException("partition map of " + name + " does not cover hash " + Long.toUnsignedString(hash));
  }
}
