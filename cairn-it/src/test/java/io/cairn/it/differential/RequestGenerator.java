package io.cairn.it.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded generator of DynamoDB requests as raw JSON, valid and invalid, driven by a small model
 * of the tables it has created and the keys it has written so that reads, conditions and queries
 * mostly hit existing items. It never reads responses: the same seed yields the same requests.
 */
public final class RequestGenerator {
  static final int TABLES_LIVE_MAX = 3;
  static final int HASH_POOL_SIZE = 12;
  static final int RANGE_POOL_SIZE = 16;
  static final int ITEM_BYTES_MAX = 400 * 1024;
  static final int PARTITION_KEY_BYTES_MAX = 2048;
  static final int SORT_KEY_BYTES_MAX = 1024;
  static final int BATCH_WRITE_MAX = 25;
  static final int BATCH_GET_MAX = 100;
  static final int NESTING_DEPTH_MAX = 32;
  static final int IN_OPERANDS_MAX = 100;
  static final int EXPRESSION_BYTES_MAX = 4096;
  private static final String[] ATTRIBUTE_NAMES = {"a", "b", "c", "d", "e", "f", "g", "h"};
  private static final String[] RETURN_VALUES = {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"};

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** A key attribute: name and scalar type (S, N or B). */
  record KeyAttribute(String name, String type) {}

  /** What the generator believes exists; updated as if every valid request succeeded. */
  static final class TableModel {
    final String name;
    final KeyAttribute hash;
    final KeyAttribute range; // null for hash-only tables
    final List<JsonNode> hashValues = new ArrayList<>();
    final List<JsonNode> rangeValues = new ArrayList<>();
    /** Projection of the LSI "lsi1" (pk, iy) or null; of the GSI "gsi1" (ix[, iy]) or null. */
    String localProjection;
    String globalProjection;
    boolean globalHasRange;

    boolean indexed() {
      return localProjection != null || globalProjection != null;
    }

    TableModel(String name, KeyAttribute hash, KeyAttribute range) {
      this.name = name;
      this.hash = hash;
      this.range = range;
    }
  }

  private final Random random;
  /** Whether CreateTable may declare a GSI; a cluster refuses them (docs/compatibility.md). */
  private final boolean globalIndexes;
  private final List<TableModel> tables = new ArrayList<>();
  private int tableCounter;
  private int stepIndex;

  public RequestGenerator(long seed) {
    this(seed, true);
  }

  /**
   * @param globalIndexes false: tables get at most an LSI. The same seed then yields another
   *     sequence of requests; with true it yields exactly the sequence of {@link #RequestGenerator(long)}.
   */
  public RequestGenerator(long seed, boolean globalIndexes) {
    this.random = new Random(seed);
    this.globalIndexes = globalIndexes;
  }

  public Step next() {
    Step step = nextStep();
    // Index write capacity when an item holds only part of a composite index key differs between
    // DynamoDB Local and Cairn in ways DynamoDB does not document; writes to indexed tables are
    // compared without ConsumedCapacity (docs/compatibility.md).
    if (step.body() != null && WRITES.contains(step.operation()) && touchesIndexedTable(step.body())) {
      step.body().remove("ReturnConsumedCapacity");
    }
    return step;
  }

  private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem");

  private boolean touchesIndexedTable(ObjectNode body) {
    Set<String> names = new HashSet<>();
    names.add(body.path("TableName").asText(""));
    body.path("RequestItems").fieldNames().forEachRemaining(names::add);
    return tables.stream().anyMatch(t -> t.indexed() && names.contains(t.name));
  }

  private Step nextStep() {
    int index = stepIndex++;
    if (tables.isEmpty()) {
      return createTable(index);
    }
    if (tables.stream().anyMatch(TableModel::indexed) && random.nextInt(6) == 0) {
      return indexStep(index);
    }
    int roll = random.nextInt(100);
    if (roll < 3) {
      return tables.size() >= TABLES_LIVE_MAX ? deleteTable(index) : createTable(index);
    } else if (roll < 27) {
      return putItem(index);
    } else if (roll < 38) {
      return getItem(index);
    } else if (roll < 50) {
      return updateItem(index);
    } else if (roll < 56) {
      return deleteItem(index);
    } else if (roll < 66) {
      return query(index);
    } else if (roll < 71) {
      return scan(index);
    } else if (roll < 76) {
      return batchWrite(index);
    } else if (roll < 80) {
      return batchGet(index);
    } else if (roll < 82) {
      return describeTable(index);
    } else if (roll < 83) {
      return listTables(index);
    } else if (roll < 84) {
      return random.nextInt(3) == 0
          ? step(index, "DescribeLimits", JSON.objectNode(), Step.Mode.SINGLE, "DescribeLimits")
          : updateTable(index);
    } else if (roll < 85) {
      return deleteTable(index);
    } else if (roll < 90) {
      return legacy(index);
    }
    return invalid(index);
  }

  // ---------------------------------------------------------------- tables

  private Step createTable(int index) {
    String name = "t" + (tableCounter++) + "_" + Integer.toString(random.nextInt(1 << 20), 36);
    KeyAttribute hash = new KeyAttribute("pk", keyType());
    KeyAttribute range = random.nextBoolean() ? new KeyAttribute("sk", keyType()) : null;
    TableModel table = new TableModel(name, hash, range);
    tables.add(table);
    ObjectNode body = createTableBody(name, hash, range);
    if (random.nextInt(3) > 0) {
      addIndexes(table, body);
    }
    return step(index, "CreateTable", body, Step.Mode.SINGLE, table.indexed() ? "CreateTable/indexes" : "CreateTable");
  }

  // ---------------------------------------------------------------- secondary indexes

  private static final String[] PROJECTIONS = {"ALL", "KEYS_ONLY", "INCLUDE"};

  /**
   * An LSI "lsi1" on (pk, iy N) when the table has a sort key, and a GSI "gsi1" on (ix S[, iy N]),
   * each with a random projection. ix and iy are attributes only some items carry (sparse).
   */
  private void addIndexes(TableModel table, ObjectNode body) {
    boolean local = table.range != null && random.nextBoolean();
    boolean global = (!local || random.nextBoolean()) && globalIndexes;
    ArrayNode definitions = (ArrayNode) body.get("AttributeDefinitions");
    boolean provisioned = "PROVISIONED".equals(body.path("BillingMode").asText());
    if (local) {
      table.localProjection = PROJECTIONS[random.nextInt(PROJECTIONS.length)];
      ObjectNode lsi = body.putArray("LocalSecondaryIndexes").addObject().put("IndexName", "lsi1");
      lsi.putArray("KeySchema").add(keyElement("pk", "HASH")).add(keyElement("iy", "RANGE"));
      lsi.set("Projection", projection(table.localProjection));
    }
    if (global) {
      table.globalProjection = PROJECTIONS[random.nextInt(PROJECTIONS.length)];
      table.globalHasRange = random.nextBoolean();
      ObjectNode gsi = body.putArray("GlobalSecondaryIndexes").addObject().put("IndexName", "gsi1");
      ArrayNode schema = gsi.putArray("KeySchema").add(keyElement("ix", "HASH"));
      if (table.globalHasRange) {
        schema.add(keyElement("iy", "RANGE"));
      }
      gsi.set("Projection", projection(table.globalProjection));
      if (provisioned) {
        gsi.putObject("ProvisionedThroughput").put("ReadCapacityUnits", 5).put("WriteCapacityUnits", 5);
      }
      definitions.addObject().put("AttributeName", "ix").put("AttributeType", "S");
    }
    if (local || table.globalHasRange) {
      definitions.addObject().put("AttributeName", "iy").put("AttributeType", "N");
    }
  }

  private static ObjectNode keyElement(String name, String type) {
    return JSON.objectNode().put("AttributeName", name).put("KeyType", type);
  }

  private static ObjectNode projection(String type) {
    ObjectNode projection = JSON.objectNode().put("ProjectionType", type);
    if (type.equals("INCLUDE")) {
      projection.putArray("NonKeyAttributes").add("a").add("b");
    }
    return projection;
  }

  private String projectedAttribute(String projection) {
    return switch (projection) {
      case "ALL" -> attributeName();
      case "INCLUDE" -> random.nextBoolean() ? "a" : "b";
      default -> random.nextBoolean() ? "ix" : "sk";
    };
  }

  /** Index key attributes for an item of an indexed table: often present, rarely of the wrong type. */
  private void indexAttributes(TableModel table, ObjectNode item) {
    if (!table.indexed()) {
      return;
    }
    if (random.nextInt(3) > 0) {
      item.set("ix", random.nextInt(40) == 0 ? JSON.objectNode().put("N", "1") : JSON.objectNode().put("S", "x" + random.nextInt(4)));
    }
    if (random.nextInt(3) > 0) {
      item.set("iy", random.nextInt(40) == 0 ? JSON.objectNode().put("S", "y") : JSON.objectNode().put("N", Integer.toString(random.nextInt(6))));
    }
  }

  private TableModel anyIndexedTable() {
    List<TableModel> indexed = tables.stream().filter(TableModel::indexed).toList();
    return indexed.get(random.nextInt(indexed.size()));
  }

  /** A Query or Scan on an index, or an update that moves an item in or out of one. */
  private Step indexStep(int index) {
    TableModel table = anyIndexedTable();
    int roll = random.nextInt(10);
    if (roll < 3) {
      ObjectNode body = JSON.objectNode().put("TableName", table.name);
      body.set("Key", key(table));
      ObjectNode names = JSON.objectNode();
      ObjectNode values = JSON.objectNode();
      String attribute = random.nextBoolean() ? "ix" : "iy";
      names.put("#i", attribute);
      if (random.nextInt(4) == 0) {
        body.put("UpdateExpression", "REMOVE #i");
      } else {
        body.put("UpdateExpression", "SET #i = :i");
        values.set(":i", attribute.equals("ix") ? JSON.objectNode().put("S", "x" + random.nextInt(4))
            : JSON.objectNode().put("N", Integer.toString(random.nextInt(6))));
        body.set("ExpressionAttributeValues", values);
      }
      body.set("ExpressionAttributeNames", names);
      if (random.nextBoolean()) {
        body.put("ReturnValues", "ALL_NEW");
      }
      return step(index, "UpdateItem", body, Step.Mode.SINGLE, "UpdateItem/index-key");
    }
    boolean global = table.globalProjection != null && (table.localProjection == null || random.nextBoolean());
    String projection = global ? table.globalProjection : table.localProjection;
    ObjectNode body = JSON.objectNode().put("TableName", table.name).put("IndexName", global ? "gsi1" : "lsi1");
    ObjectNode names = JSON.objectNode();
    ObjectNode values = JSON.objectNode();
    String operation;
    if (roll < 7) {
      operation = "Query";
      names.put("#h", global ? "ix" : "pk");
      values.set(":h", global ? JSON.objectNode().put("S", "x" + random.nextInt(4)) : hashValue(table));
      String condition = "#h = :h";
      if ((!global || table.globalHasRange) && random.nextBoolean()) {
        names.put("#r", "iy");
        values.set(":r", JSON.objectNode().put("N", Integer.toString(random.nextInt(6))));
        condition += " AND #r " + new String[] {"=", "<", "<=", ">", ">="}[random.nextInt(5)] + " :r";
      }
      body.put("KeyConditionExpression", condition);
    } else {
      operation = "Scan";
    }
    // A GSI holds only what it projects; DynamoDB Local evaluates filters and projections on GSIs
    // against the whole item, so GSI steps name only projected attributes (docs/compatibility.md).
    if (random.nextInt(3) == 0) {
      names.put("#f", global ? projectedAttribute(projection) : attributeName());
      body.put("FilterExpression", "attribute_exists(#f)");
    }
    int select = random.nextInt(8);
    if (select == 0) {
      body.put("Select", "COUNT");
    } else if (select == 1) {
      body.put("Select", "ALL_PROJECTED_ATTRIBUTES");
    } else if (select == 2) {
      body.put("Select", "ALL_ATTRIBUTES"); // a ValidationException on a GSI that does not project ALL
    } else if (select == 3) {
      names.put("#p", global ? projectedAttribute(projection) : attributeName());
      body.put("ProjectionExpression", "#p, pk");
    }
    if (!names.isEmpty()) {
      body.set("ExpressionAttributeNames", names);
    }
    if (!values.isEmpty()) {
      body.set("ExpressionAttributeValues", values);
    }
    if (random.nextBoolean()) {
      body.put("Limit", 1 + random.nextInt(4));
    }
    if (random.nextInt(5) == 0) {
      body.put("ConsistentRead", true); // a ValidationException on a GSI
    }
    // Items with equal index keys have no defined order, so index reads compare as sets.
    return step(index, operation, body, Step.Mode.SCAN_ALL_PAGES,
        operation + "/" + (global ? "gsi-" : "lsi-") + projection.toLowerCase(java.util.Locale.ROOT));
  }

  private ObjectNode createTableBody(String name, KeyAttribute hash, KeyAttribute range) {
    ObjectNode body = JSON.objectNode().put("TableName", name);
    ArrayNode definitions = body.putArray("AttributeDefinitions");
    ArrayNode schema = body.putArray("KeySchema");
    definitions.addObject().put("AttributeName", hash.name()).put("AttributeType", hash.type());
    schema.addObject().put("AttributeName", hash.name()).put("KeyType", "HASH");
    if (range != null) {
      definitions.addObject().put("AttributeName", range.name()).put("AttributeType", range.type());
      schema.addObject().put("AttributeName", range.name()).put("KeyType", "RANGE");
    }
    if (random.nextInt(4) == 0) {
      body.put("BillingMode", "PROVISIONED");
      body.putObject("ProvisionedThroughput").put("ReadCapacityUnits", 5).put("WriteCapacityUnits", 5);
    } else {
      body.put("BillingMode", "PAY_PER_REQUEST");
    }
    return body;
  }

  private Step deleteTable(int index) {
    TableModel table = tables.remove(random.nextInt(tables.size()));
    return step(index, "DeleteTable", JSON.objectNode().put("TableName", table.name), Step.Mode.SINGLE, "DeleteTable");
  }

  private Step updateTable(int index) {
    TableModel table = anyTable();
    ObjectNode body = JSON.objectNode().put("TableName", table.name);
    if (random.nextBoolean()) {
      body.put("BillingMode", "PAY_PER_REQUEST");
    } else {
      body.put("BillingMode", "PROVISIONED");
      body.putObject("ProvisionedThroughput").put("ReadCapacityUnits", 1 + random.nextInt(10))
          .put("WriteCapacityUnits", 1 + random.nextInt(10));
      if (table.globalProjection != null) {
        // A provisioned table's GSIs need throughput of their own.
        body.putArray("GlobalSecondaryIndexUpdates").addObject().putObject("Update").put("IndexName", "gsi1")
            .putObject("ProvisionedThroughput").put("ReadCapacityUnits", 1 + random.nextInt(5))
            .put("WriteCapacityUnits", 1 + random.nextInt(5));
      }
    }
    return step(index, "UpdateTable", body, Step.Mode.SINGLE, "UpdateTable");
  }

  private Step describeTable(int index) {
    return step(index, "DescribeTable", JSON.objectNode().put("TableName", anyTable().name), Step.Mode.SINGLE, "DescribeTable");
  }

  private Step listTables(int index) {
    ObjectNode body = JSON.objectNode();
    if (random.nextBoolean()) {
      body.put("Limit", 1 + random.nextInt(3));
    }
    if (random.nextInt(3) == 0) {
      body.put("ExclusiveStartTableName", anyTable().name);
    }
    return step(index, "ListTables", body, Step.Mode.SINGLE, "ListTables");
  }

  // ---------------------------------------------------------------- items

  private Step putItem(int index) {
    TableModel table = anyTable();
    ObjectNode body = JSON.objectNode().put("TableName", table.name);
    body.set("Item", item(table));
    if (random.nextBoolean()) {
      body.put("ReturnValues", random.nextBoolean() ? "ALL_OLD" : "NONE");
    }
    maybeCondition(body, table);
    maybeConsumedCapacity(body);
    return step(index, "PutItem", body, Step.Mode.SINGLE, "PutItem");
  }

  private Step getItem(int index) {
    TableModel table = anyTable();
    ObjectNode body = JSON.objectNode().put("TableName", table.name);
    body.set("Key", key(table));
    if (random.nextBoolean()) {
      body.put("ConsistentRead", random.nextBoolean());
    }
    if (random.nextInt(3) == 0) {
      body.put("ProjectionExpression", "#p0, #p1");
      body.putObject("ExpressionAttributeNames").put("#p0", attributeName()).put("#p1", table.hash.name());
    }
    maybeConsumedCapacity(body);
    return step(index, "GetItem", body, Step.Mode.SINGLE, "GetItem");
  }

  private Step deleteItem(int index) {
    TableModel table = anyTable();
    ObjectNode body = JSON.objectNode().put("TableName", table.name);
    body.set("Key", key(table));
    if (random.nextBoolean()) {
      body.put("ReturnValues", random.nextBoolean() ? "ALL_OLD" : "NONE");
    }
    maybeCondition(body, table);
    maybeConsumedCapacity(body);
    return step(index, "DeleteItem", body, Step.Mode.SINGLE, "DeleteItem");
  }

  private Step updateItem(int index) {
    TableModel table = anyTable();
    ObjectNode body = JSON.objectNode().put("TableName", table.name);
    body.set("Key", key(table));
    ObjectNode names = JSON.objectNode();
    ObjectNode values = JSON.objectNode();
    List<String> set = new ArrayList<>();
    List<String> remove = new ArrayList<>();
    List<String> add = new ArrayList<>();
    List<String> delete = new ArrayList<>();
    List<String> attributes = new ArrayList<>(List.of(ATTRIBUTE_NAMES));
    java.util.Collections.shuffle(attributes, random);
    int clauses = 1 + random.nextInt(3);
    for (int i = 0; i < clauses; i++) {
      String n = "#u" + i;
      names.put(n, attributes.get(i));
      String v = ":u" + i;
      switch (random.nextInt(13)) {
        case 0, 1, 10, 11, 12 -> {
          set.add(n + " = " + v);
          values.set(v, value(0));
        }
        case 8 -> { // a nested path: valid only when the attribute is a map (or list) already
          set.add(random.nextBoolean() ? n + ".x = " + v : n + "[0] = " + v);
          values.set(v, value(1));
        }
        case 9 -> remove.add(random.nextBoolean() ? n + "[0]" : n + ".a");
        case 2 -> {
          set.add(n + " = if_not_exists(" + n + ", " + v + ")");
          values.set(v, value(0));
        }
        case 3 -> {
          if (random.nextBoolean()) {
            set.add(n + " = " + n + " + " + v); // fails unless the attribute holds a number
          } else {
            set.add(n + " = if_not_exists(" + n + ", " + v + "z) - " + v);
            values.set(v + "z", JSON.objectNode().put("N", "0"));
          }
          values.set(v, number());
        }
        case 4 -> {
          set.add(n + " = list_append(if_not_exists(" + n + ", " + v + "e), " + v + ")");
          values.set(v + "e", JSON.objectNode().set("L", JSON.arrayNode()));
          ArrayNode list = JSON.arrayNode();
          list.add(value(1));
          values.set(v, JSON.objectNode().set("L", list));
        }
        case 5 -> remove.add(n);
        case 6 -> {
          add.add(n + " " + v);
          values.set(v, random.nextBoolean() ? number() : stringSet());
        }
        default -> {
          delete.add(n + " " + v);
          values.set(v, stringSet());
        }
      }
    }
    StringBuilder expression = new StringBuilder();
    appendClause(expression, "SET", set, ", ");
    appendClause(expression, "REMOVE", remove, ", ");
    appendClause(expression, "ADD", add, ", ");
    appendClause(expression, "DELETE", delete, ", ");
    body.put("UpdateExpression", expression.toString().trim());
    if (random.nextInt(3) == 0) {
      String condition = conditionExpression(table, names, values);
      body.put("ConditionExpression", condition);
    }
    body.set("ExpressionAttributeNames", names);
    if (!values.isEmpty()) {
      body.set("ExpressionAttributeValues", values);
    }
    if (random.nextBoolean()) {
      body.put("ReturnValues", RETURN_VALUES[random.nextInt(RETURN_VALUES.length)]);
    }
    maybeConsumedCapacity(body);
    return step(index, "UpdateItem", body, Step.Mode.SINGLE, "UpdateItem");
  }

  private static void appendClause(StringBuilder out, String keyword, List<String> parts, String separator) {
    if (!parts.isEmpty()) {
      out.append(keyword).append(' ').append(String.join(separator, parts)).append(' ');
    }
  }

  private void maybeCondition(ObjectNode body, TableModel table) {
    if (random.nextInt(5) >= 2) {
      return;
    }
    ObjectNode names = JSON.objectNode();
    ObjectNode values = JSON.objectNode();
    body.put("ConditionExpression", conditionExpression(table, names, values));
    body.set("ExpressionAttributeNames", names);
    if (!values.isEmpty()) {
      body.set("ExpressionAttributeValues", values);
    }
    if (random.nextInt(4) == 0) {
      body.put("ReturnValuesOnConditionCheckFailure", random.nextBoolean() ? "ALL_OLD" : "NONE");
    }
  }

  /** A condition over the key or one random attribute; adds exactly the placeholders it uses. */
  private String conditionExpression(TableModel table, ObjectNode names, ObjectNode values) {
    int kind = random.nextInt(11);
    if (kind < 2) {
      names.put("#ck", table.hash.name());
      return kind == 0 ? "attribute_exists(#ck)" : "attribute_not_exists(#ck)";
    }
    names.put("#ca", attributeName());
    return switch (kind) {
      case 2 -> {
        values.set(":cv", value(1));
        yield "#ca = :cv";
      }
      case 3 -> {
        values.set(":cn", JSON.objectNode().put("N", Integer.toString(random.nextInt(5))));
        yield "attribute_exists(#ca) AND size(#ca) > :cn";
      }
      case 4 -> {
        String[] types = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};
        values.set(":ct", JSON.objectNode().put("S", types[random.nextInt(types.length)]));
        yield "attribute_type(#ca, :ct)";
      }
      case 5 -> {
        values.set(":cs", JSON.objectNode().put("S", randomString(1)));
        yield "begins_with(#ca, :cs)";
      }
      case 6 -> {
        values.set(":cs", JSON.objectNode().put("S", randomString(1)));
        yield "contains(#ca, :cs)";
      }
      case 7 -> {
        values.set(":c1", value(2));
        values.set(":c2", value(2));
        yield "#ca IN (:c1, :c2)";
      }
      case 8 -> {
        values.set(":n1", JSON.objectNode().put("N", Integer.toString(random.nextInt(3))));
        values.set(":n2", JSON.objectNode().put("N", Integer.toString(2 + random.nextInt(3))));
        yield "size(#ca) BETWEEN :n1 AND :n2";
      }
      case 9 -> "NOT (attribute_exists(#ca))";
      default -> {
        values.set(":cv", value(1));
        yield "#ca <> :cv OR attribute_not_exists(#ca)";
      }
    };
  }

  private void maybeConsumedCapacity(ObjectNode body) {
    if (random.nextInt(5) == 0) {
      String[] modes = {"TOTAL", "INDEXES", "NONE"};
      body.put("ReturnConsumedCapacity", modes[random.nextInt(modes.length)]);
    }
  }

  // ---------------------------------------------------------------- query and scan

  private Step query(int index) {
    TableModel table = anyTable();
    ObjectNode body = JSON.objectNode().put("TableName", table.name);
    ObjectNode names = JSON.objectNode().put("#h", table.hash.name());
    ObjectNode values = JSON.objectNode();
    values.set(":h", hashValue(table));
    String keyCondition = "#h = :h";
    if (table.range != null && random.nextInt(3) > 0) {
      names.put("#r", table.range.name());
      values.set(":r1", rangeValue(table));
      String[] comparators = {"=", "<", "<=", ">", ">="};
      keyCondition +=
          switch (random.nextInt(table.range.type().equals("N") ? 3 : 4)) {
            case 0, 1 -> " AND #r " + comparators[random.nextInt(comparators.length)] + " :r1";
            case 2 -> {
              values.set(":r2", rangeValue(table));
              yield " AND #r BETWEEN :r1 AND :r2"; // a reversed range is a ValidationException
            }
            default -> " AND begins_with(#r, :r1)";
          };
    }
    body.put("KeyConditionExpression", keyCondition);
    if (random.nextInt(3) == 0) {
      names.put("#f", attributeName());
      body.put("FilterExpression", "attribute_exists(#f)");
    }
    body.set("ExpressionAttributeNames", names);
    body.set("ExpressionAttributeValues", values);
    if (random.nextBoolean()) {
      body.put("Limit", 1 + random.nextInt(5));
    }
    if (random.nextBoolean()) {
      body.put("ScanIndexForward", random.nextBoolean());
    }
    int select = random.nextInt(8);
    if (select == 0) {
      body.put("Select", "COUNT");
    } else if (select == 1) {
      body.put("Select", "ALL_ATTRIBUTES");
    } else if (select == 2) {
      names.put("#p", attributeName());
      body.put("ProjectionExpression", "#h, #p");
    }
    if (random.nextInt(4) == 0) {
      body.put("ConsistentRead", true);
    }
    maybeConsumedCapacity(body);
    return step(index, "Query", body, Step.Mode.QUERY_ALL_PAGES, "Query");
  }

  private Step scan(int index) {
    TableModel table = anyTable();
    ObjectNode body = JSON.objectNode().put("TableName", table.name);
    if (random.nextBoolean()) {
      body.put("Limit", 1 + random.nextInt(10));
    }
    if (random.nextInt(3) == 0) {
      body.put("FilterExpression", "attribute_exists(#f)");
      body.putObject("ExpressionAttributeNames").put("#f", attributeName());
    }
    if (random.nextInt(3) == 0) {
      body.put("TotalSegments", 1 + random.nextInt(4)); // the runner scans every segment
    }
    if (random.nextInt(8) == 0) {
      body.put("Select", "COUNT");
    }
    return step(index, "Scan", body, Step.Mode.SCAN_ALL_PAGES, body.has("TotalSegments") ? "Scan/parallel" : "Scan");
  }

  // ---------------------------------------------------------------- legacy parameters

  /** The pre-expression parameters real clients still send (AttributesToGet, Expected, ...). */
  private Step legacy(int index) {
    TableModel table = anyTable();
    ObjectNode body = JSON.objectNode().put("TableName", table.name);
    String[] operators = {"EQ", "NE", "LT", "LE", "GT", "GE", "NOT_NULL", "NULL", "BEGINS_WITH", "CONTAINS"};
    switch (random.nextInt(6)) {
      case 0 -> {
        body.set("Key", key(table));
        body.putArray("AttributesToGet").add(attributeName()).add(table.hash.name());
        return step(index, "GetItem", body, Step.Mode.SINGLE, "GetItem/legacy-AttributesToGet");
      }
      case 1 -> {
        body.set("Item", item(table));
        body.set("Expected", expected(operators));
        return step(index, "PutItem", body, Step.Mode.SINGLE, "PutItem/legacy-Expected");
      }
      case 2 -> {
        body.set("Key", key(table));
        ObjectNode updates = body.putObject("AttributeUpdates");
        List<String> attributes = new ArrayList<>(List.of(ATTRIBUTE_NAMES));
        java.util.Collections.shuffle(attributes, random);
        updates.putObject(attributes.get(0)).put("Action", "PUT").set("Value", value(0));
        updates.putObject(attributes.get(1)).put("Action", "DELETE");
        updates.putObject(attributes.get(2)).put("Action", "ADD").set("Value", random.nextBoolean() ? number() : stringSet());
        if (random.nextBoolean()) {
          body.put("ReturnValues", RETURN_VALUES[random.nextInt(RETURN_VALUES.length)]);
        }
        return step(index, "UpdateItem", body, Step.Mode.SINGLE, "UpdateItem/legacy-AttributeUpdates");
      }
      case 3 -> {
        ObjectNode conditions = body.putObject("KeyConditions");
        conditions.putObject(table.hash.name()).put("ComparisonOperator", "EQ").putArray("AttributeValueList").add(hashValue(table));
        if (table.range != null && random.nextBoolean()) {
          conditions.putObject(table.range.name()).put("ComparisonOperator", random.nextBoolean() ? "GE" : "LT")
              .putArray("AttributeValueList").add(rangeValue(table));
        }
        if (random.nextBoolean()) {
          body.putObject("QueryFilter").putObject(attributeName()).put("ComparisonOperator", "NOT_NULL");
        }
        if (random.nextBoolean()) {
          body.put("Limit", 1 + random.nextInt(4));
        }
        return step(index, "Query", body, Step.Mode.QUERY_ALL_PAGES, "Query/legacy-KeyConditions");
      }
      case 4 -> {
        ObjectNode filter = body.putObject("ScanFilter");
        filter.putObject("a").put("ComparisonOperator", random.nextBoolean() ? "NULL" : "NOT_NULL");
        filter.putObject("b").put("ComparisonOperator", "NOT_NULL");
        body.put("ConditionalOperator", random.nextBoolean() ? "AND" : "OR");
        return step(index, "Scan", body, Step.Mode.SCAN_ALL_PAGES, "Scan/legacy-ScanFilter");
      }
      default -> {
        body.set("Key", key(table));
        body.set("Expected", expected(operators));
        body.put("ReturnValues", "ALL_OLD");
        return step(index, "DeleteItem", body, Step.Mode.SINGLE, "DeleteItem/legacy-Expected");
      }
    }
  }

  private ObjectNode expected(String[] operators) {
    ObjectNode expected = JSON.objectNode();
    String attribute = attributeName();
    switch (random.nextInt(3)) {
      case 0 -> expected.putObject(attribute).put("Exists", false);
      case 1 -> expected.putObject(attribute).set("Value", value(2));
      default -> {
        String operator = operators[random.nextInt(operators.length)];
        ObjectNode condition = expected.putObject(attribute).put("ComparisonOperator", operator);
        if (!operator.equals("NULL") && !operator.equals("NOT_NULL")) {
          condition.putArray("AttributeValueList").add(random.nextBoolean() ? JSON.objectNode().put("S", randomString(1)) : number());
        }
      }
    }
    return expected;
  }

  // ---------------------------------------------------------------- batches

  private Step batchWrite(int index) {
    ObjectNode body = JSON.objectNode();
    ObjectNode requestItems = body.putObject("RequestItems");
    int count = 1 + random.nextInt(BATCH_WRITE_MAX);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < count; i++) {
      TableModel table = anyTable();
      ObjectNode item = item(table);
      ObjectNode key = keyOf(table, item);
      if (!seen.add(table.name + canonicalKey(key))) {
        continue; // duplicate keys in one batch are a ValidationException; the invalid generator covers it
      }
      ArrayNode requests = requestItems.has(table.name) ? (ArrayNode) requestItems.get(table.name) : requestItems.putArray(table.name);
      if (random.nextInt(4) == 0) {
        requests.addObject().putObject("DeleteRequest").set("Key", key);
      } else {
        requests.addObject().putObject("PutRequest").set("Item", item);
      }
    }
    maybeConsumedCapacity(body);
    return step(index, "BatchWriteItem", body, Step.Mode.SINGLE, "BatchWriteItem");
  }

  private Step batchGet(int index) {
    ObjectNode body = JSON.objectNode();
    ObjectNode requestItems = body.putObject("RequestItems");
    int count = 1 + random.nextInt(random.nextInt(4) == 0 ? BATCH_GET_MAX : 10);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < count; i++) {
      TableModel table = anyTable();
      ObjectNode key = key(table);
      if (!seen.add(table.name + canonicalKey(key))) {
        continue;
      }
      ObjectNode perTable =
          requestItems.has(table.name) ? (ObjectNode) requestItems.get(table.name) : requestItems.putObject(table.name);
      ArrayNode keys = perTable.has("Keys") ? (ArrayNode) perTable.get("Keys") : perTable.putArray("Keys");
      keys.add(key);
    }
    return step(index, "BatchGetItem", body, Step.Mode.SINGLE, "BatchGetItem");
  }

  // ---------------------------------------------------------------- invalid requests

  private Step invalid(int index) {
    TableModel table = anyTable();
    int kind = random.nextInt(27);
    ObjectNode body = JSON.objectNode().put("TableName", table.name);
    switch (kind) {
      case 0 -> { // key attribute of the wrong type
        ObjectNode item = item(table);
        item.set(table.hash.name(), table.hash.type().equals("S") ? number() : JSON.objectNode().put("S", "x"));
        body.set("Item", item);
        return step(index, "PutItem", body, Step.Mode.SINGLE, "PutItem/wrong-key-type");
      }
      case 1 -> { // missing key attribute
        ObjectNode item = item(table);
        item.remove(table.range != null && random.nextBoolean() ? table.range.name() : table.hash.name());
        body.set("Item", item);
        return step(index, "PutItem", body, Step.Mode.SINGLE, "PutItem/missing-key");
      }
      case 2 -> { // a non-key attribute in Key
        ObjectNode key = key(table);
        key.set("a", JSON.objectNode().put("S", "extra"));
        body.set("Key", key);
        return step(index, "GetItem", body, Step.Mode.SINGLE, "GetItem/extra-key-attribute");
      }
      case 3 -> { // syntax error
        body.set("Key", key(table));
        body.put("UpdateExpression", random.nextBoolean() ? "SET #a = = :v" : "SET #a :v");
        body.putObject("ExpressionAttributeNames").put("#a", "a");
        body.putObject("ExpressionAttributeValues").set(":v", value(0));
        return step(index, "UpdateItem", body, Step.Mode.SINGLE, "UpdateItem/bad-syntax");
      }
      case 4 -> { // unused value placeholder
        body.set("Key", key(table));
        body.put("UpdateExpression", "SET #a = :v");
        body.putObject("ExpressionAttributeNames").put("#a", "a");
        ObjectNode values = body.putObject("ExpressionAttributeValues");
        values.set(":v", value(0));
        values.set(":unused", value(0));
        return step(index, "UpdateItem", body, Step.Mode.SINGLE, "UpdateItem/unused-value");
      }
      case 5 -> { // unused name placeholder
        body.set("Key", key(table));
        body.put("ConditionExpression", "attribute_exists(#k)");
        body.putObject("ExpressionAttributeNames").put("#k", table.hash.name()).put("#unused", "zz");
        return step(index, "DeleteItem", body, Step.Mode.SINGLE, "DeleteItem/unused-name");
      }
      case 6 -> { // missing placeholder
        body.set("Key", key(table));
        body.put("UpdateExpression", "SET a = :missing");
        return step(index, "UpdateItem", body, Step.Mode.SINGLE, "UpdateItem/missing-value");
      }
      case 7 -> { // item at exactly the size limit, or one byte past it
        boolean past = random.nextBoolean();
        boolean exact = !table.hash.type().equals("N") && (table.range == null || !table.range.type().equals("N"));
        int bytes = exact ? ITEM_BYTES_MAX + (past ? 1 : 0) : ITEM_BYTES_MAX + (past ? 64 : -64);
        return step(index, "PutItem", sizedItem(table, bytes), Step.Mode.SINGLE,
            (past ? "PutItem/oversized" : "PutItem/at-size-limit") + (exact ? "" : "-approx"));
      }
      case 8 -> { // Limit 0 is below the minimum of 1
        body.put("Limit", 0);
        return step(index, "Scan", body, Step.Mode.SINGLE, "Scan/limit-0");
      }
      case 9 -> { // one request past the batch limits
        return random.nextBoolean() ? batchWriteOf(index, BATCH_WRITE_MAX + 1) : batchGetOf(index, BATCH_GET_MAX + 1);
      }
      case 10 -> {
        return random.nextBoolean() ? batchWriteOf(index, BATCH_WRITE_MAX) : batchGetOf(index, BATCH_GET_MAX);
      }
      case 11 -> { // table names at and past the length limits
        int[] lengths = {2, 3, 255, 256};
        int length = lengths[random.nextInt(lengths.length)];
        String name = "n".repeat(length);
        if (length >= 3 && length <= 255) {
          return step(index, "DescribeTable", JSON.objectNode().put("TableName", name), Step.Mode.SINGLE,
              "DescribeTable/name-length-" + length);
        }
        return step(index, "CreateTable", createTableBody(name, new KeyAttribute("pk", "S"), null), Step.Mode.SINGLE,
            "CreateTable/name-length-" + length);
      }
      case 12 -> { // empty set
        ObjectNode item = item(table);
        item.set("a", JSON.objectNode().set("SS", JSON.arrayNode()));
        body.set("Item", item);
        return step(index, "PutItem", body, Step.Mode.SINGLE, "PutItem/empty-set");
      }
      case 13 -> { // 38 significant digits, and 39
        boolean past = random.nextBoolean();
        ObjectNode item = item(table);
        item.set("a", JSON.objectNode().put("N", "1" + "2".repeat(past ? 38 : 37)));
        body.set("Item", item);
        return step(index, "PutItem", body, Step.Mode.SINGLE, past ? "PutItem/number-39-digits" : "PutItem/number-38-digits");
      }
      case 14 -> { // key lengths at and one past the limits
        return keyLengthStep(index, table);
      }
      case 15 -> { // nesting depth around the limit (how DynamoDB counts levels is what this probes)
        int wrappers = NESTING_DEPTH_MAX - 2 + random.nextInt(4);
        JsonNode nested = JSON.objectNode().put("S", "leaf");
        for (int depth = 0; depth < wrappers; depth++) {
          nested = JSON.objectNode().set("M", JSON.objectNode().set("m", nested));
        }
        ObjectNode item = item(table);
        item.set("a", nested);
        body.set("Item", item);
        return step(index, "PutItem", body, Step.Mode.SINGLE, "PutItem/nested-maps-" + wrappers);
      }
      case 16 -> {
        return step(index, "FrobnicateItem", body, Step.Mode.SINGLE, "unknown-operation");
      }
      case 17 -> {
        return new Step(index, "PutItem", body, "{\"TableName\": \"" + table.name + "\", \"Item\": {", Step.Mode.SINGLE,
            "PutItem/malformed-json");
      }
      case 18 -> { // ReturnValues PutItem does not support
        body.set("Item", item(table));
        body.put("ReturnValues", random.nextBoolean() ? "ALL_NEW" : "UPDATED_OLD");
        return step(index, "PutItem", body, Step.Mode.SINGLE, "PutItem/bad-return-values");
      }
      case 19 -> {
        body.put("TableName", "missing_" + table.name);
        body.set("Key", key(table));
        return step(index, "GetItem", body, Step.Mode.SINGLE, "GetItem/no-such-table");
      }
      case 20 -> {
        body.put("Segment", 2);
        body.put("TotalSegments", 2);
        return step(index, "Scan", body, Step.Mode.SINGLE, "Scan/segment-out-of-range");
      }
      case 21 -> { // many operators: 150 or 181 functions joined by OR (DynamoDB caps operators at 300)
        int functions = random.nextBoolean() ? 150 : 181;
        body.set("Key", key(table));
        body.put("ConditionExpression", "attribute_exists(#k)" + " OR attribute_exists(#k)".repeat(functions - 1));
        body.putObject("ExpressionAttributeNames").put("#k", table.hash.name());
        return step(index, "DeleteItem", body, Step.Mode.SINGLE, "DeleteItem/functions-" + functions);
      }
      case 22 -> { // duplicate keys in one BatchGetItem
        ObjectNode key = key(table);
        ObjectNode requestItems = JSON.objectNode();
        requestItems.putObject(table.name).putArray("Keys").add(key).add(key.deepCopy());
        return step(index, "BatchGetItem", JSON.objectNode().set("RequestItems", requestItems), Step.Mode.SINGLE,
            "BatchGetItem/duplicate-keys");
      }
      case 24 -> { // IN lists at and one past 100 operands
        boolean past = random.nextBoolean();
        int operands = IN_OPERANDS_MAX + (past ? 1 : 0);
        ObjectNode values = JSON.objectNode();
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < operands; i++) {
          values.set(":i" + i, JSON.objectNode().put("N", Integer.toString(i)));
          list.append(i == 0 ? "" : ", ").append(":i").append(i);
        }
        body.put("FilterExpression", "#a IN (" + list + ")");
        body.putObject("ExpressionAttributeNames").put("#a", attributeName());
        body.set("ExpressionAttributeValues", values);
        return step(index, "Scan", body, Step.Mode.SCAN_ALL_PAGES, "Scan/in-list-" + operands);
      }
      case 25 -> { // the number range's edges, and one step past each
        String[] numbers = {"1E-130", "-1E-130", "9.9999999999999999999999999999999999999E+125", "-9.9999999999999999999999999999999999999E+125",
            "1E-131", "1E+126", "-1E+126", "0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"};
        String n = numbers[random.nextInt(numbers.length)];
        ObjectNode item = item(table);
        item.set("a", JSON.objectNode().put("N", n));
        body.set("Item", item);
        return step(index, "PutItem", body, Step.Mode.SINGLE, "PutItem/number-" + n);
      }
      case 26 -> { // expressions at exactly 4 KB and one byte past
        boolean past = random.nextBoolean();
        body.set("Key", key(table));
        // Padded with spaces, so the length is the only limit in play (not the operator count).
        String head = "attribute_exists(#k)";
        String expression = head + " ".repeat(EXPRESSION_BYTES_MAX + (past ? 1 : 0) - head.length());
        body.put("ConditionExpression", expression);
        body.putObject("ExpressionAttributeNames").put("#k", table.hash.name());
        return step(index, "DeleteItem", body, Step.Mode.SINGLE, past ? "DeleteItem/expression-4097" : "DeleteItem/expression-4096");
      }
      default -> { // empty string as a key value
        ObjectNode item = item(table);
        item.set(table.hash.name(), JSON.objectNode().put(table.hash.type(), ""));
        body.set("Item", item);
        return step(index, "PutItem", body, Step.Mode.SINGLE, "PutItem/empty-key");
      }
    }
  }

  private Step keyLengthStep(int index, TableModel table) {
    boolean onRange = table.range != null && table.range.type().equals("S") && random.nextBoolean();
    if (!onRange && !table.hash.type().equals("S")) {
      return step(index, "ListTables", JSON.objectNode(), Step.Mode.SINGLE, "ListTables");
    }
    boolean past = random.nextBoolean();
    int length = (onRange ? SORT_KEY_BYTES_MAX : PARTITION_KEY_BYTES_MAX) + (past ? 1 : 0);
    ObjectNode item = item(table);
    item.set(onRange ? table.range.name() : table.hash.name(), JSON.objectNode().put("S", "k".repeat(length)));
    ObjectNode body = JSON.objectNode().put("TableName", table.name);
    body.set("Item", item);
    return step(index, "PutItem", body, Step.Mode.SINGLE, "PutItem/" + (onRange ? "sort" : "partition") + "-key-" + length);
  }

  /** An item whose DynamoDB size (names plus values, UTF-8) is exactly {@code bytes}. */
  private ObjectNode sizedItem(TableModel table, int bytes) {
    ObjectNode key = key(table);
    ObjectNode item = key.deepCopy();
    int used = 0;
    // Only string keys have a size that is simply their UTF-8 length; otherwise pad against a
    // conservative estimate and accept being a few bytes off the boundary.
    for (var field : key.properties()) {
      used += field.getKey().length();
      JsonNode v = field.getValue();
      used += v.has("S") ? v.get("S").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
          : v.has("B") ? Base64.getDecoder().decode(v.get("B").asText()).length : 21;
    }
    int padding = bytes - used - "pad".length();
    item.set("pad", JSON.objectNode().put("S", "p".repeat(padding)));
    ObjectNode body = JSON.objectNode().put("TableName", table.name);
    body.set("Item", item);
    return body;
  }

  private Step batchWriteOf(int index, int count) {
    ObjectNode requestItems = JSON.objectNode();
    TableModel table = anyTable();
    ArrayNode requests = requestItems.putArray(table.name);
    for (int i = 0; i < count; i++) {
      ObjectNode item = JSON.objectNode();
      item.set(table.hash.name(), keyValue(table.hash.type(), 10_000 + i));
      if (table.range != null) {
        item.set(table.range.name(), keyValue(table.range.type(), i));
      }
      requests.addObject().putObject("PutRequest").set("Item", item);
    }
    return step(index, "BatchWriteItem", JSON.objectNode().set("RequestItems", requestItems), Step.Mode.SINGLE,
        "BatchWriteItem/" + count);
  }

  private Step batchGetOf(int index, int count) {
    ObjectNode requestItems = JSON.objectNode();
    TableModel table = anyTable();
    ArrayNode keys = requestItems.putObject(table.name).putArray("Keys");
    for (int i = 0; i < count; i++) {
      ObjectNode key = JSON.objectNode();
      key.set(table.hash.name(), keyValue(table.hash.type(), 20_000 + i));
      if (table.range != null) {
        key.set(table.range.name(), keyValue(table.range.type(), i));
      }
      keys.add(key);
    }
    return step(index, "BatchGetItem", JSON.objectNode().set("RequestItems", requestItems), Step.Mode.SINGLE,
        "BatchGetItem/" + count);
  }

  // ---------------------------------------------------------------- values

  private TableModel anyTable() {
    return tables.get(random.nextInt(tables.size()));
  }

  private String keyType() {
    int r = random.nextInt(10);
    return r < 5 ? "S" : r < 8 ? "N" : "B";
  }

  private String attributeName() {
    return ATTRIBUTE_NAMES[random.nextInt(ATTRIBUTE_NAMES.length)];
  }

  private ObjectNode item(TableModel table) {
    ObjectNode item = key(table);
    int attributes = random.nextInt(6);
    for (int i = 0; i < attributes; i++) {
      item.set(attributeName(), value(0));
    }
    indexAttributes(table, item);
    return item;
  }

  private ObjectNode key(TableModel table) {
    ObjectNode key = JSON.objectNode();
    key.set(table.hash.name(), hashValue(table));
    if (table.range != null) {
      key.set(table.range.name(), rangeValue(table));
    }
    return key;
  }

  /** The key as DynamoDB compares it: numbers by value, so "-1E0" and "-10E-1" are the same key. */
  private static String canonicalKey(ObjectNode key) {
    StringBuilder out = new StringBuilder();
    key.properties().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> {
      JsonNode v = e.getValue();
      String text = v.has("N") ? new java.math.BigDecimal(v.get("N").asText()).stripTrailingZeros().toString() : v.toString();
      out.append(e.getKey()).append('=').append(text).append(';');
    });
    return out.toString();
  }

  private static ObjectNode keyOf(TableModel table, ObjectNode item) {
    ObjectNode key = JSON.objectNode();
    key.set(table.hash.name(), item.get(table.hash.name()));
    if (table.range != null) {
      key.set(table.range.name(), item.get(table.range.name()));
    }
    return key;
  }

  private JsonNode hashValue(TableModel table) {
    return keyValue(table.hash.type(), random.nextInt(HASH_POOL_SIZE));
  }

  private JsonNode rangeValue(TableModel table) {
    return keyValue(table.range.type(), random.nextInt(RANGE_POOL_SIZE));
  }

  /**
   * The key with ordinal {@code i} of a pool. Numbers come in several spellings of the same value
   * ("7", "7.0", "0007", "7E0") so that normalisation of key numbers is exercised.
   */
  private JsonNode keyValue(String type, int i) {
    return switch (type) {
      case "S" -> JSON.objectNode().put("S", (i % 3 == 0 ? "k" : i % 3 == 1 ? "K" : "ké") + i);
      case "N" -> {
        int v = i - RANGE_POOL_SIZE / 2;
        String[] spellings = {Integer.toString(v), v + ".0", v + "E0", Integer.toString(v * 10) + "E-1"};
        yield JSON.objectNode().put("N", spellings[random.nextInt(spellings.length)]);
      }
      default -> {
        byte[] bytes = {(byte) (i * 37), (byte) (i - 128), (byte) i};
        yield JSON.objectNode().put("B", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(bytes, 1 + i % 3)));
      }
    };
  }

  /** A random attribute value of any of the ten types, nested up to depth 3. */
  private JsonNode value(int depth) {
    int kinds = depth >= 3 ? 8 : 10;
    return switch (random.nextInt(kinds)) {
      case 0 -> JSON.objectNode().put("S", randomString(random.nextInt(12)));
      case 1 -> number();
      case 2 -> JSON.objectNode().put("B", Base64.getEncoder().encodeToString(randomBytes(random.nextInt(8))));
      case 3 -> JSON.objectNode().put("BOOL", random.nextBoolean());
      case 4 -> JSON.objectNode().put("NULL", true);
      case 5 -> stringSet();
      case 6 -> {
        Set<String> members = new LinkedHashSet<>();
        int n = 1 + random.nextInt(4);
        while (members.size() < n) {
          members.add(Integer.toString(random.nextInt(1000) - 500));
        }
        ArrayNode ns = JSON.arrayNode();
        members.forEach(ns::add);
        yield JSON.objectNode().set("NS", ns);
      }
      case 7 -> {
        Set<String> members = new LinkedHashSet<>();
        int n = 1 + random.nextInt(3);
        while (members.size() < n) {
          members.add(Base64.getEncoder().encodeToString(randomBytes(1 + random.nextInt(4))));
        }
        ArrayNode bs = JSON.arrayNode();
        members.forEach(bs::add);
        yield JSON.objectNode().set("BS", bs);
      }
      case 8 -> {
        ArrayNode list = JSON.arrayNode();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          list.add(value(depth + 1));
        }
        yield JSON.objectNode().set("L", list);
      }
      default -> {
        ObjectNode map = JSON.objectNode();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          map.set(attributeName(), value(depth + 1));
        }
        yield JSON.objectNode().set("M", map);
      }
    };
  }

  private JsonNode stringSet() {
    Set<String> members = new LinkedHashSet<>();
    int n = 1 + random.nextInt(4);
    while (members.size() < n) {
      members.add(randomString(1 + random.nextInt(3)));
    }
    ArrayNode ss = JSON.arrayNode();
    members.forEach(ss::add);
    return JSON.objectNode().set("SS", ss);
  }

  private JsonNode number() {
    String n =
        switch (random.nextInt(6)) {
          case 0, 1 -> Integer.toString(random.nextInt(2001) - 1000);
          case 2 -> (random.nextBoolean() ? "-" : "") + random.nextInt(1000) + "." + random.nextInt(1000);
          case 3 -> random.nextInt(10) + "." + random.nextInt(100) + "E" + (random.nextInt(200) - 100);
          case 4 -> {
            StringBuilder digits = new StringBuilder().append(1 + random.nextInt(9));
            int length = 1 + random.nextInt(37);
            for (int i = 0; i < length; i++) {
              digits.append(random.nextInt(10));
            }
            yield digits.toString();
          }
          default -> "0." + "0".repeat(random.nextInt(20)) + (1 + random.nextInt(9));
        };
    return JSON.objectNode().put("N", n);
  }

  private String randomString(int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int r = random.nextInt(20);
      s.append(r == 0 ? 'é' : r == 1 ? '\u6f22' : (char) ('a' + random.nextInt(6)));
    }
    return s.toString();
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static Step step(int index, String operation, ObjectNode body, Step.Mode mode, String label) {
    return new Step(index, operation, body, null, mode, label);
  }
}
