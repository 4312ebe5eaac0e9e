package io.cairn.router.table;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;

/** Writes a TableDescription structure exactly as DynamoDB shapes it. */
public final class TableDescriptionWriter {
  private TableDescriptionWriter() {}

  public static void write(JsonGenerator json, TableDefinition table, TableData.TableStats stats) throws IOException {
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
