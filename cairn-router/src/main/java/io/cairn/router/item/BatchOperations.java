package io.cairn.router.item;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.Limits;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.id.PartitionId;
import io.cairn.core.value.AttributeValue;
import io.cairn.core.value.ItemSize;
import io.cairn.expressions.ExpressionAttributes;
import io.cairn.expressions.ProjectionExpression;
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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** BatchGetItem and BatchWriteItem: many independent single-item operations in one request. */
public final class BatchOperations {
  private final TableCatalog catalog;
  private final PartitionAccess partitions;

  public BatchOperations(TableCatalog catalog, PartitionAccess partitions) {
    this.catalog = catalog;
    this.partitions = partitions;
  }

  // ---- BatchGetItem --------------------------------------------------------------------------

  public ServiceResponse batchGetItem(ObjectNode request) {
    ObjectNode requestItems = Fields.object(request, "RequestItems");
    ReturnConsumedCapacity consumedCapacity = ReturnConsumedCapacity.parse(Fields.string(request, "ReturnConsumedCapacity"));
    ConstraintViolations violations = new ConstraintViolations();
    violations.notNull(requestItems, "requestItems");
    if (requestItems != null && requestItems.isEmpty()) {
      violations.add("{}", "requestItems", "Member must have length greater than or equal to 1");
    }
    violations.throwIfAny();

    record TableRead(TableDefinition table, List<Map<String, AttributeValue>> keys, ProjectionExpression projection,
        boolean consistent, ObjectNode source) {}
    List<TableRead> reads = new ArrayList<>();
    int totalKeys = 0;
    for (Map.Entry<String, JsonNode> entry : requestItems.properties()) {
      String tableName = entry.getKey();
      ConstraintViolations tableViolations = new ConstraintViolations();
      TableOperations.validateTableName(tableViolations, tableName, "requestItems.member.key");
      tableViolations.throwIfAny();
      if (!entry.getValue().isObject()) {
        throw DynamoDbException.serialization("Unexpected value where Structure expected");
      }
      ObjectNode keysAndAttributes = (ObjectNode) entry.getValue();
      List<ObjectNode> keyNodes = Fields.objects(keysAndAttributes, "Keys");
      ConstraintViolations keyViolations = new ConstraintViolations();
      keyViolations.notNull(keyNodes, "requestItems." + tableName + ".member.keys");
      if (keyNodes != null && keyNodes.isEmpty()) {
        keyViolations.add("[]", "requestItems." + tableName + ".member.keys", "Member must have length greater than or equal to 1");
      }
      keyViolations.throwIfAny();
      totalKeys += keyNodes.size();
      if (totalKeys > Limits.BATCH_GET_KEYS_MAX) {
        throw DynamoDbException.validation("Too many items requested for the BatchGetItem call");
      }
      RequestExpressions.checkStyle(keysAndAttributes, List.of("AttributesToGet"), List.of("ProjectionExpression"));
      ExpressionAttributes attributes = RequestExpressions.attributes(keysAndAttributes);
      ProjectionExpression projection = Projections.read(keysAndAttributes, attributes);
      attributes.checkAllUsed();
      List<Map<String, AttributeValue>> keys = new ArrayList<>(keyNodes.size());
      for (ObjectNode keyNode : keyNodes) {
        keys.add(AttributeValueJson.readKey(keyNode));
      }
      reads.add(new TableRead(catalog.require(tableName), keys, projection,
          Boolean.TRUE.equals(Fields.bool(keysAndAttributes, "ConsistentRead")), keysAndAttributes));
    }
    for (TableRead read : reads) {
      Set<ByteBuffer> seen = new HashSet<>();
      for (Map<String, AttributeValue> key : read.keys()) {
        ItemKeys.validateKey(read.table(), key);
        if (!seen.add(ByteBuffer.wrap(ItemKeys.storageKey(read.table(), key)))) {
          throw DynamoDbException.validation("Provided list of item keys contains duplicates");
        }
      }
    }

    Map<String, List<Map<String, AttributeValue>>> responses = new LinkedHashMap<>();
    Map<String, List<Map<String, AttributeValue>>> unprocessed = new LinkedHashMap<>();
    Map<String, ObjectNode> unprocessedSource = new LinkedHashMap<>();
    Map<String, Double> unitsByTable = new LinkedHashMap<>();
    long responseBytes = 0;
    for (TableRead read : reads) {
      List<Map<String, AttributeValue>> found = responses.computeIfAbsent(read.table().name(), name -> new ArrayList<>());
      double units = 0;
      for (Map<String, AttributeValue> key : read.keys()) {
        if (responseBytes >= Limits.BATCH_GET_RESPONSE_BYTES_MAX) {
          unprocessed.computeIfAbsent(read.table().name(), name -> new ArrayList<>()).add(key);
          unprocessedSource.put(read.table().name(), read.source());
          continue;
        }
        Map<String, AttributeValue> item = partitions.read(
            read.table().partitionFor(ItemKeys.hash(read.table(), key)).partitionId(), ItemKeys.storageKey(read.table(), key),
            read.consistent() ? PartitionAccess.Consistency.STRONG : PartitionAccess.Consistency.EVENTUAL);
        long bytes = item == null ? 0 : ItemSize.of(item);
        units += Capacity.readUnits(bytes, read.consistent());
        if (item != null) {
          responseBytes += bytes;
          found.add(read.projection() == null ? item : read.projection().project(item));
        }
      }
      unitsByTable.merge(read.table().name(), units, Double::sum);
    }
    return json -> {
      json.writeStartObject();
      json.writeObjectFieldStart("Responses");
      for (Map.Entry<String, List<Map<String, AttributeValue>>> table : responses.entrySet()) {
        json.writeArrayFieldStart(table.getKey());
        for (Map<String, AttributeValue> item : table.getValue()) {
          AttributeValueJson.writeItem(json, item);
        }
        json.writeEndArray();
      }
      json.writeEndObject();
      json.writeObjectFieldStart("UnprocessedKeys");
      for (Map.Entry<String, List<Map<String, AttributeValue>>> table : unprocessed.entrySet()) {
        // The unprocessed entry repeats the table's request parameters with the remaining keys.
        json.writeObjectFieldStart(table.getKey());
        json.writeArrayFieldStart("Keys");
        for (Map<String, AttributeValue> key : table.getValue()) {
          AttributeValueJson.writeItem(json, key);
        }
        json.writeEndArray();
        ObjectNode source = unprocessedSource.get(table.getKey());
        for (Map.Entry<String, JsonNode> field : source.properties()) {
          if (!field.getKey().equals("Keys")) {
            json.writeFieldName(field.getKey());
            json.writeTree(field.getValue());
          }
        }
        json.writeEndObject();
      }
      json.writeEndObject();
      writeCapacityList(json, consumedCapacity, unitsByTable);
      json.writeEndObject();
    };
  }

  // ---- BatchWriteItem ------------------------------------------------------------------------

  public CompletionStage<ServiceResponse> batchWriteItem(ObjectNode request) {
    ObjectNode requestItems = Fields.object(request, "RequestItems");
    ReturnConsumedCapacity consumedCapacity = ReturnConsumedCapacity.parse(Fields.string(request, "ReturnConsumedCapacity"));
    String metrics = Fields.string(request, "ReturnItemCollectionMetrics");
    ConstraintViolations violations = new ConstraintViolations();
    violations.notNull(requestItems, "requestItems");
    if (requestItems != null && requestItems.isEmpty()) {
      violations.add("{}", "requestItems", "Member must have length greater than or equal to 1");
    }
    violations.oneOf(metrics, "returnItemCollectionMetrics", List.of("SIZE", "NONE"));
    violations.throwIfAny();

    /** @param item the item of a PutRequest, null for a DeleteRequest */
    record Write(TableDefinition table, Map<String, AttributeValue> key, Map<String, AttributeValue> item,
        WriteCommand command, long bytes) {}
    List<Write> writes = new ArrayList<>();
    int total = 0;
    long requestBytes = 0;
    for (Map.Entry<String, JsonNode> entry : requestItems.properties()) {
      String tableName = entry.getKey();
      ConstraintViolations tableViolations = new ConstraintViolations();
      TableOperations.validateTableName(tableViolations, tableName, "requestItems.member.key");
      tableViolations.throwIfAny();
      if (!entry.getValue().isArray()) {
        throw DynamoDbException.serialization("Unexpected value where List expected");
      }
      List<ObjectNode> writeRequests = Fields.objects(requestItems, tableName);
      if (writeRequests.isEmpty()) {
        throw DynamoDbException.validation("1 validation error detected: Value '{" + tableName
            + "=[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
            + "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
      }
      total += writeRequests.size();
      if (total > Limits.BATCH_WRITE_REQUESTS_MAX) {
        throw DynamoDbException.validation("Too many items requested for the BatchWriteItem call");
      }
      List<Map<String, AttributeValue>> puts = new ArrayList<>();
      List<Map<String, AttributeValue>> deletes = new ArrayList<>();
      for (ObjectNode writeRequest : writeRequests) {
        ObjectNode put = Fields.object(writeRequest, "PutRequest");
        ObjectNode delete = Fields.object(writeRequest, "DeleteRequest");
        if ((put == null) == (delete == null)) {
          throw DynamoDbException.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }
        if (put != null) {
          ObjectNode itemNode = Fields.object(put, "Item");
          if (itemNode == null) {
            throw DynamoDbException.validation("1 validation error detected: Value null at 'requestItems." + tableName
                + ".member.1.member.putRequest.item' failed to satisfy constraint: Member must not be null");
          }
          puts.add(AttributeValueJson.readItem(itemNode));
        } else {
          ObjectNode keyNode = Fields.object(delete, "Key");
          if (keyNode == null) {
            throw DynamoDbException.validation("1 validation error detected: Value null at 'requestItems." + tableName
                + ".member.1.member.deleteRequest.key' failed to satisfy constraint: Member must not be null");
          }
          deletes.add(AttributeValueJson.readKey(keyNode));
        }
      }
      TableDefinition table = catalog.require(tableName);
      Set<ByteBuffer> seen = new HashSet<>();
      for (Map<String, AttributeValue> item : puts) {
        ItemKeys.validateItemKey(table, item);
        ItemKeys.validateIndexKeys(table, item);
        long bytes = ItemSize.of(item);
        if (bytes > Limits.ITEM_BYTES_MAX) {
          throw DynamoDbException.validation("Item size has exceeded the maximum allowed size");
        }
        requestBytes += bytes;
        byte[] storageKey = ItemKeys.storageKey(table, item);
        if (!seen.add(ByteBuffer.wrap(storageKey))) {
          throw DynamoDbException.validation("Provided list of item keys contains duplicates");
        }
        Map<String, AttributeValue> key = ItemKeys.keyOf(table, item);
        writes.add(new Write(table, key, item,
            new WriteCommand.Put(storageKey, key, item, null, ReturnValues.NONE, false), bytes));
      }
      for (Map<String, AttributeValue> key : deletes) {
        ItemKeys.validateKey(table, key);
        byte[] storageKey = ItemKeys.storageKey(table, key);
        if (!seen.add(ByteBuffer.wrap(storageKey))) {
          throw DynamoDbException.validation("Provided list of item keys contains duplicates");
        }
        writes.add(new Write(table, key, null, new WriteCommand.Delete(storageKey, key, null, ReturnValues.NONE, false), 0));
      }
    }
    if (requestBytes > Limits.BATCH_WRITE_REQUEST_BYTES_MAX) {
      throw DynamoDbException.validation("Item size has exceeded the maximum allowed size");
    }

    // Each write on its own: a partition that cannot take its writes now (unavailable, throttled)
    // leaves them in UnprocessedItems, as DynamoDB does, rather than failing the others' answer.
    record Result(WriteOutcome outcome, Throwable error) {}
    List<CompletableFuture<Result>> results = new ArrayList<>(writes.size());
    for (Write write : writes) {
      CompletableFuture<WriteOutcome> outcome;
      try {
        outcome = partitions.write(
            write.table().partitionFor(ItemKeys.hash(write.table(), write.key())).partitionId(), write.command());
      } catch (DynamoDbException e) {
        outcome = CompletableFuture.failedFuture(e);
      }
      results.add(outcome.handle(Result::new));
    }
    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
      Map<String, Double> unitsByTable = new LinkedHashMap<>();
      Map<String, List<WriteOutcome.IndexUnits>> indexUnits = new LinkedHashMap<>();
      List<Write> processed = new ArrayList<>();
      Map<String, List<Write>> unprocessed = new LinkedHashMap<>();
      DynamoDbException firstUnprocessed = null;
      for (int i = 0; i < writes.size(); i++) {
        Result result = results.get(i).join();
        Write write = writes.get(i);
        if (result.error() != null) {
          DynamoDbException error = unprocessable(result.error());
          firstUnprocessed = firstUnprocessed == null ? error : firstUnprocessed;
          unprocessed.computeIfAbsent(write.table().name(), t -> new ArrayList<>()).add(write);
        } else if (result.outcome() instanceof WriteOutcome.Applied applied) {
          processed.add(write);
          unitsByTable.merge(write.table().name(),
              Capacity.writeUnits(Math.max(applied.oldItemBytes(), applied.newItemBytes())), Double::sum);
          indexUnits.computeIfAbsent(write.table().name(), t -> new ArrayList<>()).addAll(applied.indexUnits());
        } else if (result.outcome() instanceof WriteOutcome.Rejected rejected) {
          throw rejected.error();
        }
      }
      if (processed.isEmpty() && firstUnprocessed != null) {
        // Nothing could be written: DynamoDB answers with the error, not an empty success.
        throw firstUnprocessed;
      }
      Map<TableDefinition, Map<AttributeValue, Long>> collections = "SIZE".equals(metrics)
          ? collectionSizes(processed.stream().map(Write::table).toList(), processed.stream().map(Write::key).toList())
          : Map.of();
      return json -> {
        json.writeStartObject();
        json.writeObjectFieldStart("UnprocessedItems");
        for (Map.Entry<String, List<Write>> table : unprocessed.entrySet()) {
          json.writeArrayFieldStart(table.getKey());
          for (Write write : table.getValue()) {
            json.writeStartObject();
            json.writeObjectFieldStart(write.item() != null ? "PutRequest" : "DeleteRequest");
            json.writeFieldName(write.item() != null ? "Item" : "Key");
            AttributeValueJson.writeItem(json, write.item() != null ? write.item() : write.key());
            json.writeEndObject();
            json.writeEndObject();
          }
          json.writeEndArray();
        }
        json.writeEndObject();
        if (!collections.isEmpty()) {
          json.writeObjectFieldStart("ItemCollectionMetrics");
          for (Map.Entry<TableDefinition, Map<AttributeValue, Long>> table : collections.entrySet()) {
            json.writeArrayFieldStart(table.getKey().name());
            for (Map.Entry<AttributeValue, Long> collection : table.getValue().entrySet()) {
              ItemCollections.write(json, table.getKey(), collection.getKey(), collection.getValue());
            }
            json.writeEndArray();
          }
          json.writeEndObject();
        }
        if (consumedCapacity != ReturnConsumedCapacity.NONE) {
          json.writeArrayFieldStart("ConsumedCapacity");
          for (Map.Entry<String, Double> table : unitsByTable.entrySet()) {
            consumedCapacity.writeStructure(json, table.getKey(), table.getValue(), indexUnits.get(table.getKey()));
          }
          json.writeEndArray();
        }
        json.writeEndObject();
      };
    });
  }

  /**
   * The error of a write that may be sent again as it is, which the batch then returns unprocessed:
   * the partition was unavailable (certainly not applied), its outcome is unknown (a put or delete
   * applied twice leaves the same item), or it was throttled. Anything else fails the batch.
   */
  private static DynamoDbException unprocessable(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof DynamoDbException dynamo && switch (dynamo.type()) {
      case SERVICE_UNAVAILABLE, INTERNAL_SERVER_ERROR, PROVISIONED_THROUGHPUT_EXCEEDED, THROTTLING -> true;
      default -> false;
    }) {
      return dynamo;
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    throw new java.util.concurrent.CompletionException(cause);
  }

  /**
   * ReturnItemCollectionMetrics SIZE: for each table with LSIs, each item collection (partition-key
   * value) the batch wrote, in request order, with its size after the batch.
   */
  private Map<TableDefinition, Map<AttributeValue, Long>> collectionSizes(
      List<TableDefinition> tables, List<Map<String, AttributeValue>> keys) {
    Map<TableDefinition, Map<AttributeValue, Long>> sizes = new LinkedHashMap<>();
    for (int i = 0; i < tables.size(); i++) {
      TableDefinition table = tables.get(i);
      if (table.localIndexes().isEmpty()) {
        continue;
      }
      AttributeValue partitionKey = keys.get(i).get(table.keySchema().partitionKey());
      Map<AttributeValue, Long> collections = sizes.computeIfAbsent(table, t -> new LinkedHashMap<>());
      if (!collections.containsKey(partitionKey)) {
        PartitionId partition = table.partitionFor(ItemKeys.hash(table, keys.get(i))).partitionId();
        collections.put(partitionKey, partitions.itemCollectionBytes(partition, ItemKeys.keyspace(table), partitionKey));
      }
    }
    return sizes;
  }

  private static void writeCapacityList(
      com.fasterxml.jackson.core.JsonGenerator json, ReturnConsumedCapacity mode, Map<String, Double> unitsByTable)
      throws java.io.IOException {
    if (mode == ReturnConsumedCapacity.NONE) {
      return;
    }
    json.writeArrayFieldStart("ConsumedCapacity");
    for (Map.Entry<String, Double> table : unitsByTable.entrySet()) {
      mode.writeStructure(json, table.getKey(), table.getValue());
    }
    json.writeEndArray();
  }
}
