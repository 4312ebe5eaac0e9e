package io.cairn.router.item;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.Limits;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import io.cairn.core.value.ItemSize;
import io.cairn.expressions.ConditionExpression;
import io.cairn.expressions.ExpressionAttributes;
import io.cairn.expressions.Expressions;
import io.cairn.expressions.ProjectionExpression;
import io.cairn.expressions.UpdateExpression;
import io.cairn.core.id.PartitionId;
import io.cairn.partition.PartitionAccess;
import io.cairn.partition.ReturnValues;
import io.cairn.partition.WriteCommand;
import io.cairn.partition.WriteOutcome;
import io.cairn.protocol.ServiceResponse;
import io.cairn.protocol.json.AttributeValueJson;
import io.cairn.router.capacity.Capacity;
import io.cairn.router.capacity.ReturnConsumedCapacity;
import io.cairn.router.request.ConstraintViolations;
import io.cairn.router.request.Fields;
import io.cairn.router.table.TableCatalog;
import io.cairn.router.table.TableDefinition;
import io.cairn.router.table.TableOperations;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** PutItem, GetItem, UpdateItem and DeleteItem. */
public final class ItemOperations {
  private static final List<String> RETURN_VALUES = List.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");
  private static final List<String> RETURN_ON_FAILURE = List.of("ALL_OLD", "NONE");
  private static final List<String> RETURN_METRICS = List.of("SIZE", "NONE");

  private final TableCatalog catalog;
  private final PartitionAccess partitions;

  public ItemOperations(TableCatalog catalog, PartitionAccess partitions) {
    this.catalog = catalog;
    this.partitions = partitions;
  }

  // ---- PutItem -------------------------------------------------------------------------------

  public CompletionStage<ServiceResponse> putItem(ObjectNode request) {
    String tableName = Fields.string(request, "TableName");
    ObjectNode itemNode = Fields.object(request, "Item");
    WriteOptions options = WriteOptions.read(request, tableName, itemNode, "item");
    options.requireOldOrNone();
    Map<String, AttributeValue> item = AttributeValueJson.readItem(itemNode);
    ConditionExpression condition = conditionOnly(request);

    TableDefinition table = catalog.require(tableName);
    ItemKeys.validateItemKey(table, item);
    ItemKeys.validateIndexKeys(table, item);
    if (ItemSize.of(item) > Limits.ITEM_BYTES_MAX) {
      throw DynamoDbException.validation("Item size has exceeded the maximum allowed size");
    }
    Map<String, AttributeValue> key = ItemKeys.keyOf(table, item);
    WriteCommand command = new WriteCommand.Put(
        ItemKeys.storageKey(table, item), key, item, condition, options.returnValues, options.returnOnFailure);
    return submit(table, key, command, options);
  }

  // ---- DeleteItem ----------------------------------------------------------------------------

  public CompletionStage<ServiceResponse> deleteItem(ObjectNode request) {
    String tableName = Fields.string(request, "TableName");
    ObjectNode keyNode = Fields.object(request, "Key");
    WriteOptions options = WriteOptions.read(request, tableName, keyNode, "key");
    options.requireOldOrNone();
    Map<String, AttributeValue> key = AttributeValueJson.readKey(keyNode);
    ConditionExpression condition = conditionOnly(request);

    TableDefinition table = catalog.require(tableName);
    ItemKeys.validateKey(table, key);
    WriteCommand command = new WriteCommand.Delete(
        ItemKeys.storageKey(table, key), key, condition, options.returnValues, options.returnOnFailure);
    return submit(table, key, command, options);
  }

  // ---- UpdateItem ----------------------------------------------------------------------------

  public CompletionStage<ServiceResponse> updateItem(ObjectNode request) {
    String tableName = Fields.string(request, "TableName");
    ObjectNode keyNode = Fields.object(request, "Key");
    WriteOptions options = WriteOptions.read(request, tableName, keyNode, "key");
    Map<String, AttributeValue> key = AttributeValueJson.readKey(keyNode);
    RequestExpressions.checkStyle(request,
        List.of("AttributeUpdates", "Expected", "ConditionalOperator"), List.of("UpdateExpression", "ConditionExpression"));
    ExpressionAttributes attributes = RequestExpressions.attributes(request);
    String updateText = Fields.string(request, "UpdateExpression");
    UpdateExpression update;
    if (updateText != null) {
      update = Expressions.parseUpdate(updateText, attributes);
    } else {
      update = LegacyRequests.attributeUpdates(Fields.object(request, "AttributeUpdates"));
    }
    ConditionExpression condition = Conditions.forWrite(request, attributes);
    attributes.checkAllUsed();

    TableDefinition table = catalog.require(tableName);
    ItemKeys.validateKey(table, key);
    if (update != null) {
      for (String attribute : update.topLevelAttributeNames()) {
        if (table.keySchema().isKeyAttribute(attribute)) {
          throw DynamoDbException.validation("One or more parameter values were invalid: Cannot update attribute "
              + attribute + ". This attribute is part of the key");
        }
      }
    }
    WriteCommand command = new WriteCommand.Update(
        ItemKeys.storageKey(table, key), key, update, condition, options.returnValues, options.returnOnFailure);
    return submit(table, key, command, options);
  }

  /**
   * The condition of a write whose only expression is its condition (PutItem, DeleteItem), in
   * either parameter style, with its placeholders checked; null when there is none.
   */
  private static ConditionExpression conditionOnly(ObjectNode request) {
    RequestExpressions.checkStyle(request, List.of("Expected", "ConditionalOperator"), List.of("ConditionExpression"));
    ExpressionAttributes attributes = RequestExpressions.attributes(request);
    ConditionExpression condition = Conditions.forWrite(request, attributes);
    attributes.checkAllUsed();
    return condition;
  }

  private CompletionStage<ServiceResponse> submit(
      TableDefinition table, Map<String, AttributeValue> key, WriteCommand command, WriteOptions options) {
    PartitionId partition = table.partitionFor(ItemKeys.hash(table, key)).partitionId();
    CompletableFuture<WriteOutcome> outcome = partitions.write(partition, command);
    return outcome.thenApply(result -> switch (result) {
      case WriteOutcome.Applied applied -> {
        double units = Capacity.writeUnits(Math.max(applied.oldItemBytes(), applied.newItemBytes()));
        Map<String, AttributeValue> returned = applied.returned();
        boolean metrics = options.collectionMetrics && !table.localIndexes().isEmpty();
        long collectionBytes = metrics
            ? partitions.itemCollectionBytes(partition, ItemKeys.keyspace(table), key.get(table.keySchema().partitionKey())) : 0;
        yield json -> {
          json.writeStartObject();
          if (!returned.isEmpty()) {
            json.writeFieldName("Attributes");
            AttributeValueJson.writeItem(json, returned);
          }
          options.consumedCapacity.writeField(json, table.name(), units, applied.indexUnits());
          if (metrics) {
            writeCollectionMetrics(json, table, key, collectionBytes);
          }
          json.writeEndObject();
        };
      }
      case WriteOutcome.ConditionFailed failed -> throw ConditionFailure.of(failed.currentItem());
      case WriteOutcome.Rejected rejected -> throw rejected.error();
    });
  }

  /**
   * ItemCollectionMetrics of a table with LSIs: the item collection's partition key and DynamoDB's
   * size estimate, a range of whole gigabytes around the exact size Cairn keeps.
   */
  static void writeCollectionMetrics(
      com.fasterxml.jackson.core.JsonGenerator json, TableDefinition table, Map<String, AttributeValue> key,
      long collectionBytes) throws java.io.IOException {
    json.writeFieldName("ItemCollectionMetrics");
    ItemCollections.write(json, table, key.get(table.keySchema().partitionKey()), collectionBytes);
  }

  // ---- GetItem -------------------------------------------------------------------------------

  public ServiceResponse getItem(ObjectNode request) {
    String tableName = Fields.string(request, "TableName");
    ObjectNode keyNode = Fields.object(request, "Key");
    Boolean consistentRead = Fields.bool(request, "ConsistentRead");
    ConstraintViolations violations = new ConstraintViolations();
    TableOperations.validateTableName(violations, tableName, "tableName");
    violations.notNull(keyNode, "key");
    List<String> attributesToGet = Fields.strings(request, "AttributesToGet");
    if (attributesToGet != null && attributesToGet.isEmpty()) {
      violations.add("[]", "attributesToGet", "Member must have length greater than or equal to 1");
    }
    ReturnConsumedCapacity consumedCapacity = ReturnConsumedCapacity.parse(Fields.string(request, "ReturnConsumedCapacity"));
    violations.throwIfAny();
    Map<String, AttributeValue> key = AttributeValueJson.readKey(keyNode);
    RequestExpressions.checkStyle(request, List.of("AttributesToGet"), List.of("ProjectionExpression"));
    ExpressionAttributes attributes = RequestExpressions.attributes(request);
    ProjectionExpression projection = Projections.read(request, attributes);
    attributes.checkAllUsed();

    TableDefinition table = catalog.require(tableName);
    ItemKeys.validateKey(table, key);
    boolean consistent = Boolean.TRUE.equals(consistentRead);
    Map<String, AttributeValue> item = partitions.read(table.partitionFor(ItemKeys.hash(table, key)).partitionId(),
        ItemKeys.storageKey(table, key), consistent ? PartitionAccess.Consistency.STRONG : PartitionAccess.Consistency.EVENTUAL);
    double units = Capacity.readUnits(item == null ? 0 : ItemSize.of(item), consistent);
    Map<String, AttributeValue> shown = item == null || projection == null ? item : projection.project(item);
    return json -> {
      json.writeStartObject();
      if (shown != null) {
        json.writeFieldName("Item");
        AttributeValueJson.writeItem(json, shown);
      }
      consumedCapacity.writeField(json, table.name(), units);
      json.writeEndObject();
    };
  }

  /** The parameters every single-item write shares, validated the way DynamoDB validates them. */
  private record WriteOptions(
      ReturnValues returnValues, boolean returnOnFailure, ReturnConsumedCapacity consumedCapacity, boolean collectionMetrics) {
    /** PutItem and DeleteItem accept only these two. */
    void requireOldOrNone() {
      if (returnValues != ReturnValues.NONE && returnValues != ReturnValues.ALL_OLD) {
        throw DynamoDbException.validation("ReturnValues can only be ALL_OLD or NONE");
      }
    }

    static WriteOptions read(ObjectNode request, String tableName, ObjectNode keyOrItem, String keyMember) {
      String returnValues = Fields.string(request, "ReturnValues");
      String onFailure = Fields.string(request, "ReturnValuesOnConditionCheckFailure");
      String metrics = Fields.string(request, "ReturnItemCollectionMetrics");
      String capacity = Fields.string(request, "ReturnConsumedCapacity");
      ConstraintViolations violations = new ConstraintViolations();
      TableOperations.validateTableName(violations, tableName, "tableName");
      violations.notNull(keyOrItem, keyMember);
      violations.oneOf(returnValues, "returnValues", RETURN_VALUES);
      violations.oneOf(onFailure, "returnValuesOnConditionCheckFailure", RETURN_ON_FAILURE);
      violations.oneOf(metrics, "returnItemCollectionMetrics", RETURN_METRICS);
      violations.oneOf(capacity, "returnConsumedCapacity", List.of("INDEXES", "TOTAL", "NONE"));
      violations.throwIfAny();
      return new WriteOptions(
          returnValues == null ? ReturnValues.NONE : ReturnValues.valueOf(returnValues),
          "ALL_OLD".equals(onFailure),
          ReturnConsumedCapacity.parse(capacity),
          "SIZE".equals(metrics));
    }
  }
}
