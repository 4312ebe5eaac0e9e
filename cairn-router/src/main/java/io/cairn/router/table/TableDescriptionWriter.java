package io.cairn.router.table;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Writes a TableDescription structure exactly as DynamoDB shapes it. */
public final class TableDescriptionWriter {
  private TableDescriptionWriter() {}

  /** Sizes of a table's indexes and the table's index lag, for the description. */
  public interface IndexFacts {
    IndexFacts NONE = new IndexFacts() {
      @Override
      public TableData.TableStats stats(IndexDefinition index) {
        return new TableData.TableStats(0, 0);
      }

      @Override
      public long pendingChanges() {
        return 0;
      }
    };

    TableData.TableStats stats(IndexDefinition index);

    /** Outbox records of the table not yet applied to its GSIs. */
    long pendingChanges();
  }

  /**
   * @param creating the CreateTable response, where DynamoDB reports every GSI as CREATING
   */
  public static void write(
      JsonGenerator json, TableDefinition table, TableData.TableStats stats, IndexFacts facts, boolean creating)
      throws IOException {
    json.writeStartObject();
    json.writeArrayFieldStart("AttributeDefinitions");
    for (Map.Entry<String, String> definition : table.attributeDefinitions().entrySet()) {
      json.writeStartObject();
      json.writeStringField("AttributeName", definition.getKey());
      json.writeStringField("AttributeType", definition.getValue());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeStringField("TableName", table.name());
    json.writeArrayFieldStart("KeySchema");
    KeySchema schema = table.keySchema();
    writeKeyElement(json, schema.partitionKey(), "HASH");
    if (schema.hasSortKey()) {
      writeKeyElement(json, schema.sortKey(), "RANGE");
    }
    json.writeEndArray();
    json.writeStringField("TableStatus", table.status().name());
    json.writeFieldName("CreationDateTime");
    writeEpochSeconds(json, table.creationEpochMillis());
    json.writeObjectFieldStart("ProvisionedThroughput");
    if (table.lastIncreaseEpochMillis() > 0) {
      json.writeFieldName("LastIncreaseDateTime");
      writeEpochSeconds(json, table.lastIncreaseEpochMillis());
    }
    if (table.lastDecreaseEpochMillis() > 0) {
      json.writeFieldName("LastDecreaseDateTime");
      writeEpochSeconds(json, table.lastDecreaseEpochMillis());
    }
    json.writeNumberField("NumberOfDecreasesToday", table.decreasesToday());
    json.writeNumberField("ReadCapacityUnits", table.readCapacityUnits());
    json.writeNumberField("WriteCapacityUnits", table.writeCapacityUnits());
    json.writeEndObject();
    json.writeNumberField("TableSizeBytes", stats.sizeBytes());
    json.writeNumberField("ItemCount", stats.itemCount());
    json.writeStringField("TableArn", table.arn());
    json.writeStringField("TableId", table.externalId());
    if (table.billingMode() == BillingMode.PAY_PER_REQUEST || table.billingModeChangeEpochMillis() > 0) {
      json.writeObjectFieldStart("BillingModeSummary");
      json.writeStringField("BillingMode", table.billingMode().name());
      json.writeFieldName("LastUpdateToPayPerRequestDateTime");
      writeEpochSeconds(json, table.billingModeChangeEpochMillis() > 0
          ? table.billingModeChangeEpochMillis() : table.creationEpochMillis());
      json.writeEndObject();
    }
    if (!"STANDARD".equals(table.tableClass())) {
      json.writeObjectFieldStart("TableClassSummary");
      json.writeStringField("TableClass", table.tableClass());
      json.writeEndObject();
    }
    json.writeBooleanField("DeletionProtectionEnabled", table.deletionProtection());
    writeIndexes(json, table, facts, creating);
    json.writeEndObject();
  }

  private static void writeIndexes(JsonGenerator json, TableDefinition table, IndexFacts facts, boolean creating)
      throws IOException {
    List<IndexDefinition> locals = table.localIndexes();
    if (!locals.isEmpty()) {
      json.writeArrayFieldStart("LocalSecondaryIndexes");
      for (IndexDefinition index : locals) {
        TableData.TableStats stats = facts.stats(index);
        json.writeStartObject();
        json.writeStringField("IndexName", index.name());
        writeIndexKeySchema(json, index);
        writeProjection(json, index);
        json.writeNumberField("IndexSizeBytes", stats.sizeBytes());
        json.writeNumberField("ItemCount", stats.itemCount());
        json.writeStringField("IndexArn", index.arn(table));
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    List<IndexDefinition> globals = table.globalIndexes();
    if (!globals.isEmpty()) {
      long pending = facts.pendingChanges();
      json.writeArrayFieldStart("GlobalSecondaryIndexes");
      for (IndexDefinition index : globals) {
        TableData.TableStats stats = facts.stats(index);
        String status = creating ? "CREATING" : index.status();
        json.writeStartObject();
        json.writeStringField("IndexName", index.name());
        writeIndexKeySchema(json, index);
        writeProjection(json, index);
        json.writeStringField("IndexStatus", status);
        if ("CREATING".equals(index.status()) && index.backfilling()) {
          json.writeBooleanField("Backfilling", true);
        }
        json.writeObjectFieldStart("ProvisionedThroughput");
        json.writeNumberField("NumberOfDecreasesToday", 0);
        json.writeNumberField("ReadCapacityUnits", index.readCapacityUnits());
        json.writeNumberField("WriteCapacityUnits", index.writeCapacityUnits());
        json.writeEndObject();
        json.writeNumberField("IndexSizeBytes", stats.sizeBytes());
        json.writeNumberField("ItemCount", stats.itemCount());
        json.writeStringField("IndexArn", index.arn(table));
        // Cairn's own field (DynamoDB has no index-lag figure): changes of the table's writes
        // still in the outbox on their way to the GSIs. SDKs ignore unknown members.
        json.writeNumberField("CairnPendingIndexChanges", pending);
        json.writeEndObject();
      }
      json.writeEndArray();
    }
  }

  private static void writeIndexKeySchema(JsonGenerator json, IndexDefinition index) throws IOException {
    json.writeArrayFieldStart("KeySchema");
    for (var attribute : index.partitionKey()) {
      writeKeyElement(json, attribute.name(), "HASH");
    }
    for (var attribute : index.sortKey()) {
      writeKeyElement(json, attribute.name(), "RANGE");
    }
    json.writeEndArray();
  }

  private static void writeProjection(JsonGenerator json, IndexDefinition index) throws IOException {
    json.writeObjectFieldStart("Projection");
    json.writeStringField("ProjectionType", index.projection().type().name());
    if (index.projection().type() == io.cairn.partition.index.IndexProjection.Type.INCLUDE) {
      json.writeArrayFieldStart("NonKeyAttributes");
      for (String attribute : index.projection().nonKeyAttributes()) {
        json.writeString(attribute);
      }
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  private static void writeKeyElement(JsonGenerator json, String name, String type) throws IOException {
    json.writeStartObject();
    json.writeStringField("AttributeName", name);
    json.writeStringField("KeyType", type);
    json.writeEndObject();
  }

  /** DynamoDB's timestamps are epoch seconds with a fraction, as a JSON number. */
  public static void writeEpochSeconds(JsonGenerator json, long epochMillis) throws IOException {
    json.writeNumber(java.math.BigDecimal.valueOf(epochMillis, 3));
  }
}
