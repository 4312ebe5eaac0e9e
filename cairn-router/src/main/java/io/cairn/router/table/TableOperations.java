package io.cairn.router.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.Limits;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.id.PartitionId;
import io.cairn.core.id.TableId;
import io.cairn.protocol.RequestContext;
import io.cairn.protocol.ServiceResponse;
import io.cairn.router.request.ConstraintViolations;
import io.cairn.router.request.Fields;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control-plane operations on tables: CreateTable, DescribeTable, ListTables, UpdateTable,
 * DeleteTable, the tagging operations, DescribeLimits and DescribeEndpoints.
 *
 * <p>In one process a table is created synchronously, so the CreateTable response says CREATING
 * (as DynamoDB's does) and the table is ACTIVE by the time any later request can see it.
 */
public final class TableOperations {
  private static final Logger log = LoggerFactory.getLogger(TableOperations.class);

  static final String TABLE_NAME_PATTERN = "[a-zA-Z0-9_.-]+";
  static final String ACCOUNT_ID = "000000000000";
  private static final List<String> KEY_TYPES = List.of("HASH", "RANGE");
  private static final List<String> SCALAR_TYPES = List.of("B", "N", "S");
  private static final List<String> BILLING_MODES = List.of("PROVISIONED", "PAY_PER_REQUEST");
  private static final List<String> TABLE_CLASSES = List.of("STANDARD", "STANDARD_INFREQUENT_ACCESS");
  private static final long CAPACITY_UNITS_MAX = 40_000;
  private static final int PARTITIONS_AT_CREATION_MAX = 16;
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private final TableCatalog catalog;
  private final TableData data;
  private final InstantSource clock;
  private final String endpointAddress;

  public TableOperations(TableCatalog catalog, TableData data, InstantSource clock, String endpointAddress) {
    this.catalog = catalog;
    this.data = data;
    this.clock = clock;
    this.endpointAddress = endpointAddress;
  }

  // ---- CreateTable ---------------------------------------------------------------------------

  public ServiceResponse createTable(ObjectNode request, RequestContext context) {
    String name = Fields.string(request, "TableName");
    List<ObjectNode> keyElements = Fields.objects(request, "KeySchema");
    List<ObjectNode> definitionNodes = Fields.objects(request, "AttributeDefinitions");
    String billingModeName = Fields.string(request, "BillingMode");
    ObjectNode throughput = Fields.object(request, "ProvisionedThroughput");
    String tableClass = Fields.string(request, "TableClass");
    Boolean deletionProtection = Fields.bool(request, "DeletionProtectionEnabled");

    ConstraintViolations violations = new ConstraintViolations();
    validateTableName(violations, name, "tableName");
    violations.notNull(keyElements, "keySchema");
    violations.notNull(definitionNodes, "attributeDefinitions");
    if (keyElements != null) {
      if (keyElements.isEmpty()) {
        violations.add("[]", "keySchema", "Member must have length greater than or equal to 1");
      } else if (keyElements.size() > 2) {
        violations.add(keyElements.size() + " elements", "keySchema", "Member must have length less than or equal to 2");
      }
      for (int i = 0; i < keyElements.size(); i++) {
        String path = "keySchema." + (i + 1) + ".member";
        String attributeName = Fields.string(keyElements.get(i), "AttributeName");
        violations.notNull(attributeName, path + ".attributeName");
        violations.lengthBetween(attributeName, path + ".attributeName", 1, Limits.KEY_ATTRIBUTE_NAME_BYTES_MAX);
        String keyType = Fields.string(keyElements.get(i), "KeyType");
        violations.notNull(keyType, path + ".keyType");
        violations.oneOf(keyType, path + ".keyType", KEY_TYPES);
      }
    }
    if (definitionNodes != null) {
      for (int i = 0; i < definitionNodes.size(); i++) {
        String path = "attributeDefinitions." + (i + 1) + ".member";
        String attributeName = Fields.string(definitionNodes.get(i), "AttributeName");
        violations.notNull(attributeName, path + ".attributeName");
        violations.lengthBetween(attributeName, path + ".attributeName", 1, Limits.KEY_ATTRIBUTE_NAME_BYTES_MAX);
        String type = Fields.string(definitionNodes.get(i), "AttributeType");
        violations.notNull(type, path + ".attributeType");
        violations.oneOf(type, path + ".attributeType", SCALAR_TYPES);
      }
    }
    violations.oneOf(billingModeName, "billingMode", BILLING_MODES);
    violations.oneOf(tableClass, "tableClass", TABLE_CLASSES);
    RequestedThroughput requested = RequestedThroughput.read(throughput, violations);
    Long readUnits = requested.readUnits();
    Long writeUnits = requested.writeUnits();
    List<Tag> tags = readTags(request, violations);
    List<ObjectNode> localNodes = Fields.objects(request, "LocalSecondaryIndexes");
    List<ObjectNode> globalNodes = Fields.objects(request, "GlobalSecondaryIndexes");
    IndexDeclarations.checkShape(violations, localNodes, "localSecondaryIndexes", false);
    IndexDeclarations.checkShape(violations, globalNodes, "globalSecondaryIndexes", true);
    violations.throwIfAny();

    // Semantic checks, in the order DynamoDB applies them.
    rejectUnsupported(request);
    BillingMode billingMode = billingModeName == null ? BillingMode.PROVISIONED : BillingMode.valueOf(billingModeName);
    List<IndexDeclarations.Declared> declared = IndexDeclarations.read(
        localNodes, globalNodes, tableKeyNames(keyElements), billingMode);
    KeySchema schema = keySchema(keyElements, definitionNodes, IndexDeclarations.keyAttributes(declared));
    if (billingMode == BillingMode.PROVISIONED) {
      if (throughput == null) {
        throw DynamoDbException.validation(
            "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
      }
      checkCapacityLimit(readUnits, writeUnits);
    } else if (throughput != null) {
      throw DynamoDbException.validation(
          "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    }
    validateTags(tags);

    if (catalog.find(name) != null) {
      throw DynamoDbException.resourceInUse("Table already exists: " + name);
    }
    long now = clock.millis();
    Map<String, String> definitions = new LinkedHashMap<>();
    for (ObjectNode node : definitionNodes) {
      definitions.put(Fields.string(node, "AttributeName"), Fields.string(node, "AttributeType"));
    }
    long read = billingMode == BillingMode.PROVISIONED ? readUnits : 0;
    long write = billingMode == BillingMode.PROVISIONED ? writeUnits : 0;
    List<IndexDefinition> indexes = new ArrayList<>();
    for (IndexDeclarations.Declared index : declared) {
      indexes.add(define(index, definitions, billingMode, "ACTIVE", false));
    }
    TableDefinition table = new TableDefinition(
        name,
        new TableId(catalog.nextTableId()),
        UUID.randomUUID().toString(),
        "arn:aws:dynamodb:" + region(context) + ":" + ACCOUNT_ID + ":table/" + name,
        schema,
        definitions,
        TableStatus.ACTIVE,
        now,
        billingMode,
        read,
        write,
        0,
        0,
        0,
        billingMode == BillingMode.PAY_PER_REQUEST ? now : 0,
        Boolean.TRUE.equals(deletionProtection),
        tableClass == null ? "STANDARD" : tableClass,
        tags,
        initialPartitions(billingMode, read, write),
        indexes);
    catalog.create(table);
    log.atInfo().setMessage("table created").addKeyValue("table", name)
        .addKeyValue("tableId", table.tableId().value()).addKeyValue("partitions", table.partitions().size())
        .addKeyValue("billingMode", billingMode.name()).log();
    TableDefinition shown = table.withStatus(TableStatus.CREATING);
    return describing("TableDescription", shown, new TableData.TableStats(0, 0), TableDescriptionWriter.IndexFacts.NONE, true);
  }

  /** A declared index with its keyspace and (for a GSI) partitions allocated. */
  private IndexDefinition define(
      IndexDeclarations.Declared index, Map<String, String> types, BillingMode billingMode, String status,
      boolean backfilling) {
    long read = index.readCapacityUnits() == null ? 0 : index.readCapacityUnits();
    long write = index.writeCapacityUnits() == null ? 0 : index.writeCapacityUnits();
    return new IndexDefinition(
        index.name(), index.global(), catalog.nextTableId(),
        IndexDeclarations.typed(index.partitionKey(), types), IndexDeclarations.typed(index.sortKey(), types),
        index.projection(), status, backfilling, read, write,
        index.global() ? initialPartitions(billingMode, read, write) : List.of());
  }

  /** The table's key attribute names (types do not matter for the index checks that use it). */
  private static KeySchema tableKeyNames(List<ObjectNode> keyElements) {
    String hash = Fields.string(keyElements.get(0), "AttributeName");
    String range = keyElements.size() > 1 ? Fields.string(keyElements.get(1), "AttributeName") : null;
    return new KeySchema(hash, "S", range, range == null ? null : "S");
  }

  private TableDescriptionWriter.IndexFacts facts(TableDefinition table) {
    Map<String, TableData.TableStats> stats = new java.util.HashMap<>();
    for (IndexDefinition index : table.indexes()) {
      stats.put(index.name(), data.indexStats(table, index));
    }
    long pending = table.globalIndexes().isEmpty() ? 0 : data.pendingIndexChanges(table);
    return new TableDescriptionWriter.IndexFacts() {
      @Override
      public TableData.TableStats stats(IndexDefinition index) {
        return stats.getOrDefault(index.name(), new TableData.TableStats(0, 0));
      }

      @Override
      public long pendingChanges() {
        return pending;
      }
    };
  }

  private static void rejectUnsupported(ObjectNode request) {
    // Streams are a separate piece of work; refusing them clearly beats silently creating a
    // table that lacks what the application relies on.
    ObjectNode stream = Fields.object(request, "StreamSpecification");
    if (stream != null && Boolean.TRUE.equals(Fields.bool(stream, "StreamEnabled"))) {
      throw DynamoDbException.validation("One or more parameter values were invalid: Streams are not supported by this version of Cairn");
    }
  }

  private static KeySchema keySchema(
      List<ObjectNode> keyElements, List<ObjectNode> definitionNodes, List<String> indexKeys) {
    String hashName = null;
    String rangeName = null;
    String first = Fields.string(keyElements.get(0), "KeyType");
    if (!"HASH".equals(first)) {
      throw DynamoDbException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    }
    hashName = Fields.string(keyElements.get(0), "AttributeName");
    if (keyElements.size() == 2) {
      if (!"RANGE".equals(Fields.string(keyElements.get(1), "KeyType"))) {
        throw DynamoDbException.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
      }
      rangeName = Fields.string(keyElements.get(1), "AttributeName");
      if (hashName.equals(rangeName)) {
        throw DynamoDbException.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
      }
    }
    Map<String, String> types = new LinkedHashMap<>();
    for (ObjectNode node : definitionNodes) {
      String attribute = Fields.string(node, "AttributeName");
      if (types.put(attribute, Fields.string(node, "AttributeType")) != null) {
        throw DynamoDbException.validation("Cannot have two attributes with the same name");
      }
    }
    List<String> keys = rangeName == null ? List.of(hashName) : List.of(hashName, rangeName);
    if (!types.keySet().containsAll(keys)) {
      throw DynamoDbException.validation(
          "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: "
              + keys + ", AttributeDefinitions: " + new ArrayList<>(types.keySet()));
    }
    if (!indexKeys.isEmpty()) {
      java.util.Set<String> used = new java.util.LinkedHashSet<>(keys);
      used.addAll(indexKeys);
      if (!types.keySet().containsAll(used)) {
        throw DynamoDbException.validation(
            "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: "
                + new ArrayList<>(used) + ", AttributeDefinitions: " + new ArrayList<>(types.keySet()));
      }
      if (!used.containsAll(types.keySet())) {
        throw DynamoDbException.validation(
            "One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: "
                + new ArrayList<>(types.keySet()) + ", keys used: " + new ArrayList<>(used));
      }
    } else if (types.size() != keys.size()) {
      throw DynamoDbException.validation(
          "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
    }
    return new KeySchema(hashName, types.get(hashName), rangeName, rangeName == null ? null : types.get(rangeName));
  }

  private static void checkCapacityLimit(long readUnits, long writeUnits) {
    if (readUnits > CAPACITY_UNITS_MAX || writeUnits > CAPACITY_UNITS_MAX) {
      throw new DynamoDbException(io.cairn.core.error.ErrorType.LIMIT_EXCEEDED,
          "Subscriber limit exceeded: Provisioned throughput for a single table cannot exceed "
              + CAPACITY_UNITS_MAX + " read capacity units or " + CAPACITY_UNITS_MAX + " write capacity units");
    }
  }

  /**
   * Hash ranges for a new table: as many partitions as its provisioned throughput needs at
   * DynamoDB's per-partition limits (3,000 RCU, 1,000 WCU), at least one. On-demand tables start
   * with one and grow by splitting.
   */
  private List<PartitionRange> initialPartitions(BillingMode mode, long readUnits, long writeUnits) {
    int count = 1;
    if (mode == BillingMode.PROVISIONED) {
      double needed = (double) readUnits / Limits.PARTITION_READ_UNITS_PER_SECOND_MAX
          + (double) writeUnits / Limits.PARTITION_WRITE_UNITS_PER_SECOND_MAX;
      count = (int) Math.max(1, Math.min(PARTITIONS_AT_CREATION_MAX, Math.ceil(needed)));
    }
    List<PartitionRange> ranges = new ArrayList<>(count);
    // Split the unsigned 64-bit hash space into `count` equal ranges.
    java.math.BigInteger space = java.math.BigInteger.ONE.shiftLeft(64);
    java.math.BigInteger width = space.divide(java.math.BigInteger.valueOf(count));
    for (int i = 0; i < count; i++) {
      long low = width.multiply(java.math.BigInteger.valueOf(i)).longValue();
      long high = i == count - 1 ? -1L : width.multiply(java.math.BigInteger.valueOf(i + 1)).longValue() - 1;
      ranges.add(new PartitionRange(new PartitionId(catalog.nextPartitionId()), low, high));
    }
    return ranges;
  }

  // ---- DescribeTable, ListTables -------------------------------------------------------------

  public ServiceResponse describeTable(ObjectNode request) {
    String name = Fields.string(request, "TableName");
    ConstraintViolations violations = new ConstraintViolations();
    validateTableName(violations, name, "tableName");
    violations.throwIfAny();
    TableDefinition table = catalog.requireForTableOperation(name);
    TableData.TableStats stats = data.stats(table);
    TableDescriptionWriter.IndexFacts facts = facts(table);
    return describing("Table", table, stats, facts, false);
  }

  public ServiceResponse listTables(ObjectNode request) {
    String start = Fields.string(request, "ExclusiveStartTableName");
    Long limit = Fields.integer(request, "Limit");
    ConstraintViolations violations = new ConstraintViolations();
    if (start != null) {
      validateTableName(violations, start, "exclusiveStartTableName");
    }
    violations.range(limit, "limit", 1, Limits.LIST_TABLES_LIMIT_MAX);
    violations.throwIfAny();
    int pageSize = limit == null ? Limits.LIST_TABLES_LIMIT_MAX : limit.intValue();
    List<String> names = catalog.namesAfter(start, pageSize);
    String last = names.size() == pageSize && !names.isEmpty() && catalog.hasMoreAfter(names.get(names.size() - 1))
        ? names.get(names.size() - 1) : null;
    return json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("TableNames");
      for (String name : names) {
        json.writeString(name);
      }
      json.writeEndArray();
      if (last != null) {
        json.writeStringField("LastEvaluatedTableName", last);
      }
      json.writeEndObject();
    };
  }

  // ---- DeleteTable ---------------------------------------------------------------------------

  public ServiceResponse deleteTable(ObjectNode request) {
    String name = Fields.string(request, "TableName");
    ConstraintViolations violations = new ConstraintViolations();
    validateTableName(violations, name, "tableName");
    violations.throwIfAny();
    TableDefinition table = catalog.requireForTableOperation(name);
    if (table.deletionProtection()) {
      throw DynamoDbException.validation(
          "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
    }
    TableData.TableStats stats = data.stats(table);
    TableDescriptionWriter.IndexFacts facts = facts(table);
    // The catalog entry goes first: once it is gone no request can reach the range being dropped.
    catalog.remove(name);
    data.drop(table);
    log.atInfo().setMessage("table deleted").addKeyValue("table", name)
        .addKeyValue("tableId", table.tableId().value()).log();
    TableDefinition shown = table.withStatus(TableStatus.DELETING);
    return describing("TableDescription", shown, stats, facts, false);
  }

  // ---- UpdateTable ---------------------------------------------------------------------------

  public ServiceResponse updateTable(ObjectNode request) {
    String name = Fields.string(request, "TableName");
    String billingModeName = Fields.string(request, "BillingMode");
    ObjectNode throughput = Fields.object(request, "ProvisionedThroughput");
    Boolean deletionProtection = Fields.bool(request, "DeletionProtectionEnabled");
    String tableClass = Fields.string(request, "TableClass");
    ConstraintViolations violations = new ConstraintViolations();
    validateTableName(violations, name, "tableName");
    violations.oneOf(billingModeName, "billingMode", BILLING_MODES);
    violations.oneOf(tableClass, "tableClass", TABLE_CLASSES);
    RequestedThroughput requested = RequestedThroughput.read(throughput, violations);
    Long readUnits = requested.readUnits();
    Long writeUnits = requested.writeUnits();
    List<ObjectNode> indexUpdates = Fields.objects(request, "GlobalSecondaryIndexUpdates");
    List<ObjectNode> definitionNodes = Fields.objects(request, "AttributeDefinitions");
    if (indexUpdates != null) {
      for (int i = 0; i < indexUpdates.size(); i++) {
        ObjectNode create = Fields.object(indexUpdates.get(i), "Create");
        if (create != null) {
          IndexDeclarations.checkOneShape(violations, create, "globalSecondaryIndexUpdates." + (i + 1) + ".member.create", true);
        }
      }
    }
    violations.throwIfAny();
    if (Fields.object(request, "StreamSpecification") != null || Fields.array(request, "ReplicaUpdates") != null) {
      throw DynamoDbException.validation(
          "One or more parameter values were invalid: Streams and replicas are not supported by this version of Cairn");
    }
    if (billingModeName == null && throughput == null && deletionProtection == null && tableClass == null
        && indexUpdates == null) {
      throw DynamoDbException.validation(
          "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
    }
    final Long requestedRead = readUnits;
    final Long requestedWrite = writeUnits;
    List<IndexDefinition> created = new ArrayList<>();
    List<IndexDefinition> deleted = new ArrayList<>();
    long now = clock.millis();
    TableDefinition updated = catalog.update(name, current -> {
      if (current.status() != TableStatus.ACTIVE) {
        throw DynamoDbException.resourceInUse("Attempt to change a resource which is still in use: Table is being updated: " + name);
      }
      TableDefinition next = current;
      BillingMode mode = billingModeName == null ? current.billingMode() : BillingMode.valueOf(billingModeName);
      if (mode == BillingMode.PAY_PER_REQUEST && requestedRead != null) {
        throw DynamoDbException.validation(
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
      }
      if (mode == BillingMode.PROVISIONED && current.billingMode() == BillingMode.PAY_PER_REQUEST && requestedRead == null) {
        throw DynamoDbException.validation(
            "One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
      }
      if (requestedRead != null || mode != current.billingMode()) {
        long read = mode == BillingMode.PAY_PER_REQUEST ? 0 : requestedRead;
        long write = mode == BillingMode.PAY_PER_REQUEST ? 0 : requestedWrite;
        if (mode == BillingMode.PROVISIONED) {
          checkCapacityLimit(read, write);
        }
        if (mode == current.billingMode() && read == current.readCapacityUnits() && write == current.writeCapacityUnits()) {
          throw DynamoDbException.validation(
              "The provisioned throughput for the table will not change. The requested value equals the current value. "
                  + "Current ReadCapacityUnits provisioned for the table: " + current.readCapacityUnits()
                  + ". Requested ReadCapacityUnits: " + read
                  + ". Current WriteCapacityUnits provisioned for the table: " + current.writeCapacityUnits()
                  + ". Requested WriteCapacityUnits: " + write
                  + ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
        }
        boolean increase = read > current.readCapacityUnits() || write > current.writeCapacityUnits();
        boolean decrease = read < current.readCapacityUnits() || write < current.writeCapacityUnits();
        int decreasesToday = current.lastDecreaseEpochMillis() / MILLIS_PER_DAY == now / MILLIS_PER_DAY
            ? current.decreasesToday() : 0;
        next = next.withThroughput(
            mode, read, write,
            increase && mode == BillingMode.PROVISIONED ? now : current.lastIncreaseEpochMillis(),
            decrease && mode == BillingMode.PROVISIONED ? now : current.lastDecreaseEpochMillis(),
            decrease && mode == BillingMode.PROVISIONED ? decreasesToday + 1 : decreasesToday,
            mode == BillingMode.PAY_PER_REQUEST && current.billingMode() != mode ? now : current.billingModeChangeEpochMillis());
      }
      if (deletionProtection != null) {
        next = next.withDeletionProtection(deletionProtection);
      }
      if (tableClass != null) {
        next = next.withTableClass(tableClass);
      }
      if (indexUpdates != null) {
        next = applyIndexUpdates(next, indexUpdates, definitionNodes, created, deleted);
      }
      if (next.billingMode() != current.billingMode()) {
        next = indexThroughputForBillingMode(next, indexUpdates);
      }
      return next;
    });
    for (IndexDefinition index : deleted) {
      data.dropIndex(updated, index);
      log.atInfo().setMessage("global secondary index deleted").addKeyValue("table", name)
          .addKeyValue("index", index.name()).log();
    }
    for (IndexDefinition index : created) {
      log.atInfo().setMessage("global secondary index creating; backfill starts").addKeyValue("table", name)
          .addKeyValue("index", index.name()).addKeyValue("keyspace", index.keyspaceId()).log();
      data.startBackfill(updated, index);
    }
    log.atInfo().setMessage("table updated").addKeyValue("table", name)
        .addKeyValue("billingMode", updated.billingMode().name())
        .addKeyValue("readCapacityUnits", updated.readCapacityUnits())
        .addKeyValue("writeCapacityUnits", updated.writeCapacityUnits())
        .addKeyValue("deletionProtection", updated.deletionProtection()).log();
    // The change is applied at once; the response reports UPDATING as DynamoDB's does, and a
    // deleted index as DELETING.
    List<IndexDefinition> shownIndexes = new ArrayList<>(updated.indexes());
    for (IndexDefinition index : deleted) {
      shownIndexes.add(index.withStatus("DELETING", false));
    }
    TableDefinition shown = updated.withStatus(TableStatus.UPDATING).withIndexes(shownIndexes);
    TableData.TableStats stats = data.stats(updated);
    TableDescriptionWriter.IndexFacts facts = facts(updated);
    return describing("TableDescription", shown, stats, facts, false);
  }

  private TableDefinition applyIndexUpdates(
      TableDefinition table, List<ObjectNode> updates, List<ObjectNode> definitionNodes,
      List<IndexDefinition> created, List<IndexDefinition> deleted) {
    Map<String, String> types = new LinkedHashMap<>(table.attributeDefinitions());
    if (definitionNodes != null) {
      for (ObjectNode node : definitionNodes) {
        types.put(Fields.string(node, "AttributeName"), Fields.string(node, "AttributeType"));
      }
    }
    List<IndexDefinition> indexes = new ArrayList<>(table.indexes());
    for (ObjectNode update : updates) {
      ObjectNode create = Fields.object(update, "Create");
      ObjectNode delete = Fields.object(update, "Delete");
      ObjectNode change = Fields.object(update, "Update");
      if ((create != null ? 1 : 0) + (delete != null ? 1 : 0) + (change != null ? 1 : 0) != 1) {
        throw DynamoDbException.validation(
            "One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Update, or GlobalSecondaryIndexUpdate.Delete must be specified");
      }
      if ((create != null || delete != null)
          && (!created.isEmpty() || !deleted.isEmpty() || indexes.stream().anyMatch(i -> !"ACTIVE".equals(i.status())))) {
        throw new DynamoDbException(io.cairn.core.error.ErrorType.LIMIT_EXCEEDED,
            "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table");
      }
      if (create != null) {
        IndexDeclarations.Declared declared = IndexDeclarations.readOne(create, true, table.keySchema(), table.billingMode());
        if (table.index(declared.name()) != null) {
          throw DynamoDbException.validation(
              "One or more parameter values were invalid: Index with name: " + declared.name() + " already exists");
        }
        if (table.globalIndexes().size() >= Limits.GLOBAL_SECONDARY_INDEXES_MAX) {
          throw new DynamoDbException(io.cairn.core.error.ErrorType.LIMIT_EXCEEDED,
              "Subscriber limit exceeded: The number of global secondary indexes for this table exceeds the limit of "
                  + Limits.GLOBAL_SECONDARY_INDEXES_MAX);
        }
        List<String> keys = new ArrayList<>(declared.partitionKey());
        keys.addAll(declared.sortKey());
        if (!types.keySet().containsAll(keys)) {
          throw DynamoDbException.validation(
              "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: "
                  + keys + ", AttributeDefinitions: " + new ArrayList<>(types.keySet()));
        }
        IndexDefinition index = define(declared, types, table.billingMode(), "CREATING", true);
        indexes.add(index);
        created.add(index);
      } else if (delete != null) {
        String indexName = Fields.string(delete, "IndexName");
        IndexDefinition index = table.index(indexName);
        if (index == null || !index.global()) {
          throw DynamoDbException.resourceNotFound("Requested resource not found: Index: " + indexName + " not found");
        }
        indexes.remove(index);
        deleted.add(index);
      } else {
        String indexName = Fields.string(change, "IndexName");
        IndexDefinition index = table.index(indexName);
        if (index == null || !index.global()) {
          throw DynamoDbException.resourceNotFound("Requested resource not found: Index: " + indexName + " not found");
        }
        ObjectNode throughput = Fields.object(change, "ProvisionedThroughput");
        if (throughput == null || table.billingMode() == BillingMode.PAY_PER_REQUEST) {
          throw DynamoDbException.validation(
              "One or more parameter values were invalid: ProvisionedThroughput can be updated only for indexes of tables in PROVISIONED billing mode");
        }
        long read = Fields.integer(throughput, "ReadCapacityUnits");
        long write = Fields.integer(throughput, "WriteCapacityUnits");
        checkCapacityLimit(read, write);
        if (read == index.readCapacityUnits() && write == index.writeCapacityUnits()) {
          throw DynamoDbException.validation("The requested throughput value equals the current value");
        }
        indexes.set(indexes.indexOf(index), index.withThroughput(read, write));
      }
    }
    // AttributeDefinitions list exactly the key attributes of the table and its indexes.
    java.util.Set<String> used = new java.util.LinkedHashSet<>();
    used.add(table.keySchema().partitionKey());
    if (table.keySchema().hasSortKey()) {
      used.add(table.keySchema().sortKey());
    }
    for (IndexDefinition index : indexes) {
      index.keyAttributes().forEach(a -> used.add(a.name()));
    }
    Map<String, String> definitions = new LinkedHashMap<>();
    for (Map.Entry<String, String> type : types.entrySet()) {
      if (used.contains(type.getKey())) {
        definitions.put(type.getKey(), type.getValue());
      }
    }
    return table.withIndexes(indexes).withAttributeDefinitions(definitions);
  }

  /**
   * A table switching to provisioned needs every GSI's throughput in the same request.
   */
  private static TableDefinition indexThroughputForBillingMode(TableDefinition table, List<ObjectNode> indexUpdates) {
    List<IndexDefinition> indexes = new ArrayList<>();
    for (IndexDefinition index : table.indexes()) {
      if (!index.global() || table.billingMode() == BillingMode.PAY_PER_REQUEST) {
        // To on-demand, the GSIs keep the figures they had (as DynamoDB Local reports them).
        indexes.add(index);
      } else {
        boolean given = indexUpdates != null && indexUpdates.stream().anyMatch(u -> Fields.object(u, "Update") != null
            && index.name().equals(Fields.string(Fields.object(u, "Update"), "IndexName")));
        if (!given) {
          throw DynamoDbException.validation(
              "One or more parameter values were invalid: ProvisionedThroughput must be specified for index: " + index.name());
        }
        indexes.add(index);
      }
    }
    return table.withIndexes(indexes);
  }

  /** Marks a GSI whose backfill finished ACTIVE (called by the backfill driver). */
  public void finishBackfill(String tableName, String indexName) {
    TableDefinition table = catalog.find(tableName);
    if (table == null || table.index(indexName) == null) {
      return;
    }
    catalog.update(tableName, current -> {
      List<IndexDefinition> indexes = new ArrayList<>();
      for (IndexDefinition index : current.indexes()) {
        indexes.add(index.name().equals(indexName) ? index.withStatus("ACTIVE", false) : index);
      }
      return current.withIndexes(indexes);
    });
    log.atInfo().setMessage("global secondary index active").addKeyValue("table", tableName)
        .addKeyValue("index", indexName).log();
  }

  // ---- Tags ----------------------------------------------------------------------------------

  public ServiceResponse tagResource(ObjectNode request) {
    String arn = Fields.string(request, "ResourceArn");
    ConstraintViolations violations = new ConstraintViolations();
    validateArn(violations, arn);
    violations.notNull(Fields.array(request, "Tags"), "tags");
    List<Tag> tags = readTags(request, violations);
    violations.throwIfAny();
    validateTags(tags);
    String name = tableNameOf(arn);
    catalog.update(name, current -> {
      Map<String, Tag> merged = new LinkedHashMap<>();
      for (Tag tag : current.tags()) {
        merged.put(tag.key(), tag);
      }
      for (Tag tag : tags) {
        merged.put(tag.key(), tag);
      }
      if (merged.size() > Limits.TAGS_PER_RESOURCE_MAX) {
        throw new DynamoDbException(io.cairn.core.error.ErrorType.LIMIT_EXCEEDED,
            "The number of tags for the resource exceeds the limit of " + Limits.TAGS_PER_RESOURCE_MAX);
      }
      return current.withTags(new ArrayList<>(merged.values()));
    });
    return TableOperations::emptyObject;
  }

  public ServiceResponse untagResource(ObjectNode request) {
    String arn = Fields.string(request, "ResourceArn");
    List<String> keys = Fields.strings(request, "TagKeys");
    ConstraintViolations violations = new ConstraintViolations();
    validateArn(violations, arn);
    violations.notNull(keys, "tagKeys");
    violations.throwIfAny();
    String name = tableNameOf(arn);
    catalog.update(name, current -> current.withTags(
        current.tags().stream().filter(tag -> !keys.contains(tag.key())).toList()));
    return TableOperations::emptyObject;
  }

  public ServiceResponse listTagsOfResource(ObjectNode request) {
    String arn = Fields.string(request, "ResourceArn");
    Fields.string(request, "NextToken");
    ConstraintViolations violations = new ConstraintViolations();
    validateArn(violations, arn);
    violations.throwIfAny();
    TableDefinition table = tableOfArn(arn);
    return json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("Tags");
      for (Tag tag : table.tags()) {
        json.writeStartObject();
        json.writeStringField("Key", tag.key());
        json.writeStringField("Value", tag.value());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    };
  }

  // ---- DescribeLimits, DescribeEndpoints -----------------------------------------------------

  public ServiceResponse describeLimits() {
    return json -> {
      json.writeStartObject();
      json.writeNumberField("AccountMaxReadCapacityUnits", 80_000);
      json.writeNumberField("AccountMaxWriteCapacityUnits", 80_000);
      json.writeNumberField("TableMaxReadCapacityUnits", CAPACITY_UNITS_MAX);
      json.writeNumberField("TableMaxWriteCapacityUnits", CAPACITY_UNITS_MAX);
      json.writeEndObject();
    };
  }

  public ServiceResponse describeEndpoints() {
    return json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("Endpoints");
      json.writeStartObject();
      json.writeStringField("Address", endpointAddress);
      json.writeNumberField("CachePeriodInMinutes", 1440);
      json.writeEndObject();
      json.writeEndArray();
      json.writeEndObject();
    };
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** A response holding one TableDescription structure under {@code field} ("Table" or "TableDescription"). */
  private static ServiceResponse describing(
      String field, TableDefinition table, TableData.TableStats stats, TableDescriptionWriter.IndexFacts facts,
      boolean creating) {
    return json -> {
      json.writeStartObject();
      json.writeFieldName(field);
      TableDescriptionWriter.write(json, table, stats, facts, creating);
      json.writeEndObject();
    };
  }

  /** A request's ProvisionedThroughput: both units null when the member is absent. */
  private record RequestedThroughput(Long readUnits, Long writeUnits) {
    static RequestedThroughput read(ObjectNode throughput, ConstraintViolations violations) {
      if (throughput == null) {
        return new RequestedThroughput(null, null);
      }
      Long read = Fields.integer(throughput, "ReadCapacityUnits");
      Long write = Fields.integer(throughput, "WriteCapacityUnits");
      violations.notNull(read, "provisionedThroughput.readCapacityUnits");
      violations.notNull(write, "provisionedThroughput.writeCapacityUnits");
      violations.range(read, "provisionedThroughput.readCapacityUnits", 1, Long.MAX_VALUE);
      violations.range(write, "provisionedThroughput.writeCapacityUnits", 1, Long.MAX_VALUE);
      return new RequestedThroughput(read, write);
    }
  }

  public static void validateTableName(ConstraintViolations violations, String name, String memberPath) {
    violations.notNull(name, memberPath);
    violations.lengthBetween(name, memberPath, Limits.TABLE_NAME_CHARS_MIN, Limits.TABLE_NAME_CHARS_MAX);
    violations.pattern(name, memberPath, TABLE_NAME_PATTERN);
  }

  private static void validateArn(ConstraintViolations violations, String arn) {
    violations.notNull(arn, "resourceArn");
    violations.lengthBetween(arn, "resourceArn", 1, 1283);
  }

  private String tableNameOf(String arn) {
    return tableOfArn(arn).name();
  }

  private TableDefinition tableOfArn(String arn) {
    int slash = arn.indexOf(":table/");
    if (!arn.startsWith("arn:") || slash < 0) {
      throw DynamoDbException.validation("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
    }
    String name = arn.substring(slash + ":table/".length());
    TableDefinition table = catalog.findCurrent(name);
    if (table == null || !table.arn().equals(arn)) {
      throw DynamoDbException.resourceNotFound("Requested resource not found: ResourcArn: " + arn + " not found");
    }
    return table;
  }

  private static List<Tag> readTags(ObjectNode request, ConstraintViolations violations) {
    List<ObjectNode> nodes = Fields.objects(request, "Tags");
    List<Tag> tags = new ArrayList<>();
    if (nodes == null) {
      return tags;
    }
    for (int i = 0; i < nodes.size(); i++) {
      String path = "tags." + (i + 1) + ".member";
      String key = Fields.string(nodes.get(i), "Key");
      String value = Fields.string(nodes.get(i), "Value");
      violations.notNull(key, path + ".key");
      violations.notNull(value, path + ".value");
      violations.lengthBetween(key, path + ".key", 1, Limits.TAG_KEY_CHARS_MAX);
      violations.lengthBetween(value, path + ".value", 0, Limits.TAG_VALUE_CHARS_MAX);
      tags.add(new Tag(key, value));
    }
    return tags;
  }

  private static void validateTags(List<Tag> tags) {
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (Tag tag : tags) {
      if (!keys.add(tag.key())) {
        throw DynamoDbException.validation("One or more parameter values were invalid: Duplicate tag keys found");
      }
      if (tag.key().startsWith("aws:")) {
        throw DynamoDbException.validation("One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved for system use");
      }
    }
  }

  private static String region(RequestContext context) {
    return context.region() == null || context.region().isEmpty() ? "us-east-1" : context.region();
  }

  private static void emptyObject(com.fasterxml.jackson.core.JsonGenerator json) throws java.io.IOException {
    json.writeStartObject();
    json.writeEndObject();
  }

}
