package io.cairn.router.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.Limits;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.cairn.expressions.KeySchemaInfo;
import io.cairn.partition.index.IndexKeyAttribute;
import io.cairn.partition.index.IndexProjection;
import io.cairn.router.request.ConstraintViolations;
import io.cairn.router.request.Fields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reading and checking the LocalSecondaryIndexes and GlobalSecondaryIndexes of CreateTable (and a
 * GlobalSecondaryIndexUpdates Create of UpdateTable), in the order DynamoDB checks them.
 */
final class IndexDeclarations {
  static final int PROJECTED_ATTRIBUTES_MAX = 100;
  private static final List<String> PROJECTION_TYPES = List.of("ALL", "KEYS_ONLY", "INCLUDE");
  private static final List<String> KEY_TYPES = List.of("HASH", "RANGE");

  private IndexDeclarations() {}

  /** An index as declared, before ids and partitions are allocated. */
  record Declared(
      String name, boolean global, List<String> partitionKey, List<String> sortKey, IndexProjection projection,
      Long readCapacityUnits, Long writeCapacityUnits) {}

  /** Shape checks (the "N validation errors detected" kind) of one index list. */
  static void checkShape(ConstraintViolations violations, List<ObjectNode> nodes, String member, boolean global) {
    if (nodes == null) {
      return;
    }
    for (int i = 0; i < nodes.size(); i++) {
      ObjectNode node = nodes.get(i);
      String path = member + "." + (i + 1) + ".member";
      checkOneShape(violations, node, path, global);
    }
  }

  static void checkOneShape(ConstraintViolations violations, ObjectNode node, String path, boolean global) {
    String name = Fields.string(node, "IndexName");
    violations.notNull(name, path + ".indexName");
    violations.lengthBetween(name, path + ".indexName", Limits.INDEX_NAME_CHARS_MIN, Limits.INDEX_NAME_CHARS_MAX);
    violations.pattern(name, path + ".indexName", "[a-zA-Z0-9_.-]+");
    List<ObjectNode> keyElements = Fields.objects(node, "KeySchema");
    violations.notNull(keyElements, path + ".keySchema");
    if (keyElements != null) {
      if (keyElements.isEmpty()) {
        violations.add("[]", path + ".keySchema", "Member must have length greater than or equal to 1");
      }
      for (int k = 0; k < keyElements.size(); k++) {
        String keyPath = path + ".keySchema." + (k + 1) + ".member";
        String attribute = Fields.string(keyElements.get(k), "AttributeName");
        violations.notNull(attribute, keyPath + ".attributeName");
        violations.lengthBetween(attribute, keyPath + ".attributeName", 1, Limits.KEY_ATTRIBUTE_NAME_BYTES_MAX);
        String keyType = Fields.string(keyElements.get(k), "KeyType");
        violations.notNull(keyType, keyPath + ".keyType");
        violations.oneOf(keyType, keyPath + ".keyType", KEY_TYPES);
      }
    }
    ObjectNode projection = Fields.object(node, "Projection");
    violations.notNull(projection, path + ".projection");
    if (projection != null) {
      violations.oneOf(Fields.string(projection, "ProjectionType"), path + ".projection.projectionType", PROJECTION_TYPES);
      List<String> nonKey = Fields.strings(projection, "NonKeyAttributes");
      if (nonKey != null && nonKey.isEmpty()) {
        violations.add("[]", path + ".projection.nonKeyAttributes", "Member must have length greater than or equal to 1");
      }
    }
    if (global) {
      ObjectNode throughput = Fields.object(node, "ProvisionedThroughput");
      if (throughput != null) {
        Long read = Fields.integer(throughput, "ReadCapacityUnits");
        Long write = Fields.integer(throughput, "WriteCapacityUnits");
        violations.notNull(read, path + ".provisionedThroughput.readCapacityUnits");
        violations.notNull(write, path + ".provisionedThroughput.writeCapacityUnits");
        violations.range(read, path + ".provisionedThroughput.readCapacityUnits", 1, Long.MAX_VALUE);
        violations.range(write, path + ".provisionedThroughput.writeCapacityUnits", 1, Long.MAX_VALUE);
      }
    }
  }

  /** Reads and checks every declared index of a CreateTable request. */
  static List<Declared> read(
      List<ObjectNode> locals, List<ObjectNode> globals, KeySchema table, BillingMode billingMode) {
    List<Declared> declared = new ArrayList<>();
    if (locals != null) {
      if (locals.isEmpty()) {
        throw DynamoDbException.validation("One or more parameter values were invalid: List of LocalSecondaryIndexes is empty");
      }
      if (locals.size() > Limits.LOCAL_SECONDARY_INDEXES_MAX) {
        throw DynamoDbException.validation("One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of "
            + Limits.LOCAL_SECONDARY_INDEXES_MAX);
      }
      if (!table.hasSortKey()) {
        throw DynamoDbException.validation(
            "One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
      }
      for (ObjectNode node : locals) {
        declared.add(readOne(node, false, table, billingMode));
      }
    }
    if (globals != null) {
      if (globals.isEmpty()) {
        throw DynamoDbException.validation("One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty");
      }
      if (globals.size() > Limits.GLOBAL_SECONDARY_INDEXES_MAX) {
        throw new DynamoDbException(ErrorType.LIMIT_EXCEEDED,
            "Subscriber limit exceeded: The number of global secondary indexes for this table exceeds the limit of "
                + Limits.GLOBAL_SECONDARY_INDEXES_MAX);
      }
      for (ObjectNode node : globals) {
        declared.add(readOne(node, true, table, billingMode));
      }
    }
    Set<String> names = new HashSet<>();
    int projected = 0;
    for (Declared index : declared) {
      if (!names.add(index.name())) {
        throw DynamoDbException.validation("One or more parameter values were invalid: Duplicate index name: " + index.name());
      }
      projected += index.projection().nonKeyAttributes().size();
    }
    if (projected > PROJECTED_ATTRIBUTES_MAX) {
      throw DynamoDbException.validation("One or more parameter values were invalid: Number of projected attributes in all indexes exceeds limit of "
          + PROJECTED_ATTRIBUTES_MAX + ", number of projected attributes:" + projected);
    }
    return declared;
  }

  static Declared readOne(ObjectNode node, boolean global, KeySchema table, BillingMode billingMode) {
    String name = Fields.string(node, "IndexName");
    List<ObjectNode> keyElements = Fields.objects(node, "KeySchema");
    List<String> partitionKey = new ArrayList<>();
    List<String> sortKey = new ArrayList<>();
    if (!"HASH".equals(Fields.string(keyElements.get(0), "KeyType"))) {
      throw DynamoDbException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    }
    for (ObjectNode element : keyElements) {
      String attribute = Fields.string(element, "AttributeName");
      if ("HASH".equals(Fields.string(element, "KeyType"))) {
        // An LSI has exactly one HASH (the table's); a GSI may have up to 4 (DynamoDB's
        // multi-attribute keys), but every HASH comes before the first RANGE.
        if (!sortKey.isEmpty() || (!global && !partitionKey.isEmpty())) {
          throw DynamoDbException.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
        }
        partitionKey.add(attribute);
      } else {
        sortKey.add(attribute);
      }
    }
    if (!global && keyElements.size() > 2) {
      // LSIs keep single-attribute keys: the table's partition key and one sort key.
      throw DynamoDbException.validation("1 validation error detected: Value '" + keyElements.size()
          + "' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2");
    }
    if (partitionKey.size() > KeySchemaInfo.KEY_ATTRIBUTES_MAX || sortKey.size() > KeySchemaInfo.KEY_ATTRIBUTES_MAX) {
      throw DynamoDbException.validation("One or more parameter values were invalid: A global secondary index key can have at most "
          + KeySchemaInfo.KEY_ATTRIBUTES_MAX + " HASH and " + KeySchemaInfo.KEY_ATTRIBUTES_MAX
          + " RANGE attributes. IndexName: " + name + ", HASH attributes: " + partitionKey.size()
          + ", RANGE attributes: " + sortKey.size());
    }
    Set<String> seen = new HashSet<>();
    for (String attribute : partitionKey) {
      if (!seen.add(attribute)) {
        throw DynamoDbException.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
      }
    }
    for (String attribute : sortKey) {
      if (!seen.add(attribute)) {
        throw DynamoDbException.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
      }
    }
    if (!global) {
      if (sortKey.isEmpty()) {
        throw DynamoDbException.validation("One or more parameter values were invalid: Index KeySchema does not have a range key for index: " + name);
      }
      if (!partitionKey.get(0).equals(table.partitionKey())) {
        throw DynamoDbException.validation(
            "One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: "
                + name + ". index hash key: " + partitionKey.get(0) + ", table hash key: " + table.partitionKey());
      }
    }
    IndexProjection projection = projection(Fields.object(node, "Projection"), name);
    Long read = null;
    Long write = null;
    if (global) {
      ObjectNode throughput = Fields.object(node, "ProvisionedThroughput");
      if (billingMode == BillingMode.PROVISIONED && throughput == null) {
        throw DynamoDbException.validation("One or more parameter values were invalid: ProvisionedThroughput should not be null for index: " + name);
      }
      if (billingMode == BillingMode.PAY_PER_REQUEST && throughput != null) {
        throw DynamoDbException.validation(
            "One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: " + name
                + " when BillingMode is PAY_PER_REQUEST");
      }
      if (throughput != null) {
        read = Fields.integer(throughput, "ReadCapacityUnits");
        write = Fields.integer(throughput, "WriteCapacityUnits");
      }
    }
    return new Declared(name, global, partitionKey, sortKey, projection, read, write);
  }

  private static IndexProjection projection(ObjectNode node, String indexName) {
    String typeName = Fields.string(node, "ProjectionType");
    List<String> nonKey = Fields.strings(node, "NonKeyAttributes");
    IndexProjection.Type type = typeName == null ? null : IndexProjection.Type.valueOf(typeName);
    if (type == null) {
      throw DynamoDbException.validation("One or more parameter values were invalid: Unknown ProjectionType: null");
    }
    if (type != IndexProjection.Type.INCLUDE && nonKey != null) {
      throw DynamoDbException.validation("One or more parameter values were invalid: ProjectionType is " + type
          + ", but NonKeyAttributes is specified");
    }
    if (type == IndexProjection.Type.INCLUDE && nonKey == null) {
      throw DynamoDbException.validation(
          "One or more parameter values were invalid: NonKeyAttributes must be specified when ProjectionType is INCLUDE. IndexName: " + indexName);
    }
    if (nonKey != null && new HashSet<>(nonKey).size() != nonKey.size()) {
      throw DynamoDbException.validation("One or more parameter values were invalid: Duplicate attributes in NonKeyAttributes of index: " + indexName);
    }
    return new IndexProjection(type, nonKey == null ? List.of() : nonKey);
  }

  /** Every attribute an index key uses, for the AttributeDefinitions check. */
  static List<String> keyAttributes(List<Declared> declared) {
    List<String> names = new ArrayList<>();
    for (Declared index : declared) {
      names.addAll(index.partitionKey());
      names.addAll(index.sortKey());
    }
    return names;
  }

  static List<IndexKeyAttribute> typed(List<String> names, Map<String, String> types) {
    List<IndexKeyAttribute> attributes = new ArrayList<>();
    for (String name : names) {
      attributes.add(new IndexKeyAttribute(name, types.get(name)));
    }
    return attributes;
  }
}
