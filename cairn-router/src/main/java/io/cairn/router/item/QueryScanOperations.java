package io.cairn.router.item;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.Limits;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import io.cairn.core.value.ItemSize;
import io.cairn.expressions.ConditionExpression;
import io.cairn.expressions.ExpressionAttributes;
import io.cairn.expressions.ProjectionExpression;
import io.cairn.partition.ItemCursor;
import io.cairn.partition.PartitionAccess;
import io.cairn.partition.RangeSlice;
import io.cairn.partition.index.IndexProjection;
import io.cairn.partition.index.IndexSpec;
import io.cairn.router.table.IndexDefinition;
import io.cairn.protocol.ServiceResponse;
import io.cairn.protocol.json.AttributeValueJson;
import io.cairn.router.capacity.Capacity;
import io.cairn.router.capacity.ReturnConsumedCapacity;
import io.cairn.router.request.ConstraintViolations;
import io.cairn.router.request.Fields;
import io.cairn.router.table.TableCatalog;
import io.cairn.router.table.TableDefinition;
import io.cairn.router.table.TableOperations;
import io.cairn.storage.Direction;
import io.cairn.storage.HashRange;
import io.cairn.storage.ItemCodec;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyRange;
import io.cairn.storage.SortKeyCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Query and Scan: read a key range in order, stop at Limit items or 1 MB read (whichever comes
 * first, before the filter), filter, project, and hand back where to resume.
 */
public final class QueryScanOperations {
  private static final List<String> SELECT_VALUES =
      List.of("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT");

  private final TableCatalog catalog;
  private final PartitionAccess partitions;

  public QueryScanOperations(TableCatalog catalog, PartitionAccess partitions) {
    this.catalog = catalog;
    this.partitions = partitions;
  }

  public ServiceResponse query(ObjectNode request) {
    CommonParameters common = CommonParameters.read(request);
    Boolean scanIndexForward = Fields.bool(request, "ScanIndexForward");
    RequestExpressions.checkStyle(request,
        List.of("KeyConditions", "QueryFilter", "ConditionalOperator", "AttributesToGet"),
        List.of("KeyConditionExpression", "FilterExpression", "ProjectionExpression"));
    if (Fields.member(request, "KeyConditionExpression") == null && Fields.member(request, "KeyConditions") == null) {
      throw DynamoDbException.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
    }
    ExpressionAttributes attributes = RequestExpressions.attributes(request);
    ConditionExpression filter = Conditions.filter(request, attributes, "QueryFilter");
    ProjectionExpression projection = Projections.read(request, attributes);
    common.checkSelect(projection);

    TableDefinition table = catalog.require(common.tableName);
    IndexDefinition index = common.checkIndex(table);
    rejectKeyAttributesInFilter(filter, index != null ? index::isKeyAttribute : table.keySchema()::isKeyAttribute);
    checkFilterProjected(table, index, common, filter, true);
    if (index != null) {
      Queries.IndexKeyQuery keyQuery = Queries.indexKeyCondition(request, attributes, index);
      attributes.checkAllUsed();
      Direction direction = Boolean.FALSE.equals(scanIndexForward) ? Direction.REVERSE : Direction.FORWARD;
      IndexSpec spec = index.spec(table);
      KeyRange range = keyQuery.range(index.keyspace());
      if (common.exclusiveStartKey != null) {
        byte[] start = indexStartKey(table, index, spec, common.exclusiveStartKey);
        if (!keyQuery.samePartition(index, common.exclusiveStartKey)) {
          throw DynamoDbException.validation("The provided starting key is outside query boundaries based on provided conditions");
        }
        range = range.resumeAfter(start, direction);
      }
      return readRange(table, index, range, direction, common, filter, projection);
    }
    Queries.KeyQuery keyQuery = Queries.keyCondition(request, attributes, table);
    attributes.checkAllUsed();

    Direction direction = Boolean.FALSE.equals(scanIndexForward) ? Direction.REVERSE : Direction.FORWARD;
    KeyRange range = KeyCodec.sortKeyRange(ItemKeys.keyspace(table), keyQuery.partitionKey(), keyQuery.sortKey());
    if (common.exclusiveStartKey != null) {
      ItemKeys.validateStartKey(table, common.exclusiveStartKey);
      AttributeValue startPartitionKey = common.exclusiveStartKey.get(table.keySchema().partitionKey());
      if (!startPartitionKey.equals(keyQuery.partitionKey())) {
        throw DynamoDbException.validation("The provided starting key is outside query boundaries based on provided conditions");
      }
      range = range.resumeAfter(ItemKeys.storageKey(table, common.exclusiveStartKey), direction);
    }
    return readRange(table, null, range, direction, common, filter, projection);
  }

  /**
   * A Query of an index cannot filter on attributes the index does not project, whatever it
   * selects; a Scan can (the cases DynamoDB Local refuses and accepts).
   */
  private static void checkFilterProjected(
      TableDefinition table, IndexDefinition index, CommonParameters common, ConditionExpression filter, boolean query) {
    if (index == null || filter == null || index.projection().type() == IndexProjection.Type.ALL) {
      return;
    }
    if (!query) {
      return;
    }
    java.util.Set<String> indexKeys = index.keyAttributeNames(table.keySchema());
    // The filter's placeholder names: top-level names and nested map keys alike.
    List<String> missing = filter.source().names().values().stream().distinct().sorted()
        .filter(name -> !index.projection().projects(name, indexKeys)).toList();
    if (!missing.isEmpty()) {
      throw DynamoDbException.validation("One or more parameter values were invalid: Secondary index " + index.name()
          + " does not project one or more filter attributes: " + missing);
    }
  }

  /** A Query's filter may not name the key attributes of what it queries, as in DynamoDB. */
  private static void rejectKeyAttributesInFilter(
      ConditionExpression filter, java.util.function.Predicate<String> isKeyAttribute) {
    if (filter == null) {
      return;
    }
    for (String name : new java.util.TreeSet<>(filter.source().names().values())) {
      if (isKeyAttribute.test(name)) {
        throw DynamoDbException.validation(
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: " + name);
      }
    }
  }

  /**
   * The index entry key an ExclusiveStartKey names: it must hold the index's key attributes and
   * the table's, with their declared types, as the LastEvaluatedKey of an index read does.
   */
  private static byte[] indexStartKey(
      TableDefinition table, IndexDefinition index, IndexSpec spec, Map<String, AttributeValue> startKey) {
    java.util.Set<String> expected = index.keyAttributeNames(table.keySchema());
    byte[] key = spec.keyOf(startKey);
    boolean baseKeyTyped = startKey.get(table.keySchema().partitionKey()) != null
        && startKey.get(table.keySchema().partitionKey()).typeName().equals(table.keySchema().partitionKeyType())
        && (!table.keySchema().hasSortKey() || (startKey.get(table.keySchema().sortKey()) != null
            && startKey.get(table.keySchema().sortKey()).typeName().equals(table.keySchema().sortKeyType())));
    if (key == null || !baseKeyTyped || !expected.containsAll(startKey.keySet())) {
      throw DynamoDbException.validation("The provided starting key is invalid: " + ItemKeys.KEY_MISMATCH);
    }
    return key;
  }

  public ServiceResponse scan(ObjectNode request) {
    CommonParameters common = CommonParameters.read(request);
    Long segment = Fields.integer(request, "Segment");
    Long totalSegments = Fields.integer(request, "TotalSegments");
    ConstraintViolations violations = new ConstraintViolations();
    violations.range(segment, "segment", 0, Limits.PARALLEL_SCAN_SEGMENTS_MAX - 1);
    violations.range(totalSegments, "totalSegments", 1, Limits.PARALLEL_SCAN_SEGMENTS_MAX);
    violations.throwIfAny();
    if (segment != null && totalSegments == null) {
      throw DynamoDbException.validation(
          "The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
    }
    if (totalSegments != null && segment == null) {
      throw DynamoDbException.validation(
          "The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
    }
    if (segment != null && segment >= totalSegments) {
      throw DynamoDbException.validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: "
          + segment + " is not less than TotalSegments: " + totalSegments);
    }
    RequestExpressions.checkStyle(request,
        List.of("ScanFilter", "ConditionalOperator", "AttributesToGet"), List.of("FilterExpression", "ProjectionExpression"));
    ExpressionAttributes attributes = RequestExpressions.attributes(request);
    ConditionExpression filter = Conditions.filter(request, attributes, "ScanFilter");
    ProjectionExpression projection = Projections.read(request, attributes);
    common.checkSelect(projection);
    attributes.checkAllUsed();

    TableDefinition table = catalog.require(common.tableName);
    IndexDefinition index = common.checkIndex(table);
    HashRange hashes = segment == null ? HashRange.FULL : HashRange.segment(segment.intValue(), totalSegments.intValue());
    checkFilterProjected(table, index, common, filter, false);
    if (index != null) {
      KeyRange range = KeyCodec.hashRange(index.keyspace(), hashes);
      if (common.exclusiveStartKey != null) {
        range = range.resumeAfter(indexStartKey(table, index, index.spec(table), common.exclusiveStartKey), Direction.FORWARD);
      }
      return readRange(table, index, range, Direction.FORWARD, common, filter, projection);
    }
    KeyRange range = KeyCodec.hashRange(ItemKeys.keyspace(table), hashes);
    if (common.exclusiveStartKey != null) {
      ItemKeys.validateStartKey(table, common.exclusiveStartKey);
      range = range.resumeAfter(ItemKeys.storageKey(table, common.exclusiveStartKey), Direction.FORWARD);
    }
    return readRange(table, null, range, Direction.FORWARD, common, filter, projection);
  }

  private ServiceResponse readRange(
      TableDefinition table, IndexDefinition index, KeyRange range, Direction direction, CommonParameters common,
      ConditionExpression filter, ProjectionExpression projection) {
    java.util.Set<String> indexKeys = index == null ? null : index.keyAttributeNames(table.keySchema());
    if (index != null && index.global() && projection != null) {
      // A GSI holds only what it projects; asking for anything else is refused.
      List<String> missing = projection.topLevelAttributeNames().stream().distinct()
          .filter(name -> !index.projection().projects(name, indexKeys)).toList();
      if (!missing.isEmpty()) {
        throw DynamoDbException.validation("One or more parameter values were invalid: Global secondary index "
            + index.name() + " does not project " + missing);
      }
    }
    boolean fetchFromTable = index != null && !index.global()
        && (needsTableAttributes(index, indexKeys, common, projection)
            || (filter != null && index.projection().type() != IndexProjection.Type.ALL));
    boolean wholeItems = "ALL_ATTRIBUTES".equals(common.select);
    int limit = common.limit == null ? Integer.MAX_VALUE : common.limit.intValue();
    boolean countOnly = "COUNT".equals(common.select);
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    int scanned = 0;
    int matched = 0;
    long bytesRead = 0;
    Map<String, AttributeValue> lastEvaluated = null;
    PartitionAccess.Consistency consistency = Boolean.TRUE.equals(common.consistentRead)
        ? PartitionAccess.Consistency.STRONG : PartitionAccess.Consistency.EVENTUAL;
    List<RangeSlice> slices = index == null
        ? Slices.of(ItemKeys.keyspace(table), table.partitions(), range, direction)
        : Slices.of(index.keyspace(), index.global() ? index.partitions() : table.partitions(), range, direction);
    try (ItemCursor cursor = partitions.cursor(slices, direction, consistency)) {
        while (cursor.next()) {
          Map<String, AttributeValue> item = ItemCodec.decode(cursor.value());
          Map<String, AttributeValue> entry = item;
          scanned++;
          bytesRead += ItemSize.of(item);
          if (fetchFromTable) {
            Map<String, AttributeValue> base = partitions.read(
                table.partitionFor(ItemKeys.hash(table, item)).partitionId(), ItemKeys.storageKey(table, item), consistency);
            if (base != null) {
              item = base;
            }
          }
          if (filter == null || filter.test(item)) {
            matched++;
            if (!countOnly) {
              items.add(projection != null ? projection.project(item) : wholeItems ? item : entry);
            }
          }
          if (scanned >= limit || bytesRead >= Limits.QUERY_PAGE_BYTES_MAX) {
            // DynamoDB does not look ahead: reaching the limit always yields a LastEvaluatedKey.
            lastEvaluated = index == null ? ItemKeys.keyOf(table, item) : indexKeyOf(indexKeys, entry);
            break;
          }
        }
    }
    double units = Capacity.readUnits(bytesRead, Boolean.TRUE.equals(common.consistentRead));
    int count = matched;
    int scannedCount = scanned;
    Map<String, AttributeValue> resumeKey = lastEvaluated;
    return json -> {
      json.writeStartObject();
      if (!countOnly) {
        json.writeArrayFieldStart("Items");
        for (Map<String, AttributeValue> item : items) {
          AttributeValueJson.writeItem(json, item);
        }
        json.writeEndArray();
      }
      json.writeNumberField("Count", count);
      json.writeNumberField("ScannedCount", scannedCount);
      if (resumeKey != null) {
        json.writeFieldName("LastEvaluatedKey");
        AttributeValueJson.writeItem(json, resumeKey);
      }
      common.consumedCapacity.writeField(json, table.name(), units);
      json.writeEndObject();
    };
  }

  /** Parameters Query and Scan share. */
  private record CommonParameters(
      String tableName, String indexName, String select, Long limit, Boolean consistentRead,
      Map<String, AttributeValue> exclusiveStartKey, ReturnConsumedCapacity consumedCapacity, boolean hasProjection) {

    static CommonParameters read(ObjectNode request) {
      String tableName = Fields.string(request, "TableName");
      String indexName = Fields.string(request, "IndexName");
      String select = Fields.string(request, "Select");
      Long limit = Fields.integer(request, "Limit");
      Boolean consistentRead = Fields.bool(request, "ConsistentRead");
      ObjectNode startKey = Fields.object(request, "ExclusiveStartKey");
      String capacity = Fields.string(request, "ReturnConsumedCapacity");
      ConstraintViolations violations = new ConstraintViolations();
      TableOperations.validateTableName(violations, tableName, "tableName");
      if (indexName != null) {
        violations.lengthBetween(indexName, "indexName", Limits.INDEX_NAME_CHARS_MIN, Limits.INDEX_NAME_CHARS_MAX);
        violations.pattern(indexName, "indexName", "[a-zA-Z0-9_.-]+");
      }
      violations.oneOf(select, "select", SELECT_VALUES);
      violations.range(limit, "limit", 1, Integer.MAX_VALUE);
      violations.oneOf(capacity, "returnConsumedCapacity", List.of("INDEXES", "TOTAL", "NONE"));
      violations.throwIfAny();
      return new CommonParameters(tableName, indexName, select, limit, consistentRead,
          startKey == null ? null : AttributeValueJson.readKey(startKey),
          ReturnConsumedCapacity.parse(capacity),
          Fields.member(request, "ProjectionExpression") != null || Fields.member(request, "AttributesToGet") != null);
    }

    void checkSelect(ProjectionExpression projection) {
      String parameter = "the AttributesToGet";
      if (select == null) {
        return;
      }
      switch (select) {
        case "SPECIFIC_ATTRIBUTES" -> {
          if (!hasProjection) {
            throw DynamoDbException.validation(
                "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
          }
        }
        case "ALL_ATTRIBUTES" -> {
          if (hasProjection) {
            throw DynamoDbException.validation("Cannot specify " + parameter + " when choosing to get ALL_ATTRIBUTES");
          }
        }
        case "COUNT" -> {
          if (hasProjection) {
            throw DynamoDbException.validation("Cannot specify " + parameter + " when choosing to get only the COUNT");
          }
        }
        case "ALL_PROJECTED_ATTRIBUTES" -> {
          if (indexName == null) {
            throw DynamoDbException.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
          }
        }
        default -> throw new IllegalStateException("validated above: " + select);
      }
    }

    /** The index the request names (null for the table), checked against what it asks of it. */
    IndexDefinition checkIndex(TableDefinition table) {
      if (indexName == null) {
        return null;
      }
      IndexDefinition index = table.index(indexName);
      if (index == null) {
        throw DynamoDbException.validation("The table does not have the specified index: " + indexName);
      }
      if (index.global() && Boolean.TRUE.equals(consistentRead)) {
        throw DynamoDbException.validation("Consistent reads are not supported on global secondary indexes");
      }
      if (index.global() && "ALL_ATTRIBUTES".equals(select) && index.projection().type() != IndexProjection.Type.ALL) {
        throw DynamoDbException.validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index "
            + indexName + " because its projection type is not ALL");
      }
      return index;
    }
  }

  private static boolean needsTableAttributes(
      IndexDefinition index, java.util.Set<String> indexKeys, CommonParameters common, ProjectionExpression projection) {
    if (index.projection().type() == IndexProjection.Type.ALL || "COUNT".equals(common.select)) {
      return false;
    }
    if ("ALL_ATTRIBUTES".equals(common.select)) {
      return true;
    }
    if (projection != null) {
      for (String attribute : projection.topLevelAttributeNames()) {
        if (!index.projection().projects(attribute, indexKeys)) {
          return true;
        }
      }
    }
    return false;
  }

  /** An index read's LastEvaluatedKey: the index's key attributes and the table's. */
  private static Map<String, AttributeValue> indexKeyOf(java.util.Set<String> indexKeys, Map<String, AttributeValue> entry) {
    Map<String, AttributeValue> key = new java.util.LinkedHashMap<>();
    for (String name : indexKeys) {
      key.put(name, entry.get(name));
    }
    return key;
  }

  /** Storage's sort-key condition for "no condition on the sort key". */
  static SortKeyCondition anySortKey() {
    return new SortKeyCondition.Any();
  }
}
