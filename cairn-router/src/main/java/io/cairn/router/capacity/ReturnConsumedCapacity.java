package io.cairn.router.capacity;

import com.fasterxml.jackson.core.JsonGenerator;
import io.cairn.core.error.DynamoDbException;
import java.io.IOException;

/** The ReturnConsumedCapacity parameter, and how a ConsumedCapacity structure is written for it. */
public enum ReturnConsumedCapacity {
  NONE,
  TOTAL,
  INDEXES;

  public static ReturnConsumedCapacity parse(String value) {
    if (value == null) {
      return NONE;
    }
    return switch (value) {
      case "NONE" -> NONE;
      case "TOTAL" -> TOTAL;
      case "INDEXES" -> INDEXES;
      default -> throw DynamoDbException.validation("1 validation error detected: Value '" + value
          + "' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]");
    };
  }

  /** Writes {@code "ConsumedCapacity": {...}} when asked for; nothing for NONE. */
  public void writeField(JsonGenerator json, String tableName, double units) throws IOException {
    if (this == NONE) {
      return;
    }
    json.writeFieldName("ConsumedCapacity");
    writeStructure(json, tableName, units);
  }

  /**
   * Writes {@code "ConsumedCapacity"} of a write that also wrote secondary indexes: the total,
   * and with INDEXES the table's share and each index's.
   */
  public void writeField(
      JsonGenerator json, String tableName, double tableUnits, java.util.List<io.cairn.partition.WriteOutcome.IndexUnits> indexes)
      throws IOException {
    if (this == NONE) {
      return;
    }
    json.writeFieldName("ConsumedCapacity");
    writeStructure(json, tableName, tableUnits, indexes);
  }

  /** One ConsumedCapacity structure of writes to a table and its indexes. */
  public void writeStructure(
      JsonGenerator json, String tableName, double tableUnits, java.util.List<io.cairn.partition.WriteOutcome.IndexUnits> indexes)
      throws IOException {
    double total = tableUnits;
    java.util.Map<String, Double> locals = new java.util.TreeMap<>();
    java.util.Map<String, Double> globals = new java.util.TreeMap<>();
    for (io.cairn.partition.WriteOutcome.IndexUnits index : indexes) {
      total += index.units();
      (index.global() ? globals : locals).merge(index.indexName(), index.units(), Double::sum);
    }
    json.writeStartObject();
    json.writeStringField("TableName", tableName);
    json.writeNumberField("CapacityUnits", total);
    if (this == INDEXES) {
      json.writeObjectFieldStart("Table");
      json.writeNumberField("CapacityUnits", tableUnits);
      json.writeEndObject();
      writeIndexes(json, "LocalSecondaryIndexes", locals);
      writeIndexes(json, "GlobalSecondaryIndexes", globals);
    }
    json.writeEndObject();
  }

  private static void writeIndexes(JsonGenerator json, String member, java.util.Map<String, Double> units) throws IOException {
    if (units.isEmpty()) {
      return;
    }
    json.writeObjectFieldStart(member);
    for (java.util.Map.Entry<String, Double> index : units.entrySet()) {
      json.writeObjectFieldStart(index.getKey());
      json.writeNumberField("CapacityUnits", index.getValue());
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  /** Writes one ConsumedCapacity structure (for the lists batch operations return). */
  public void writeStructure(JsonGenerator json, String tableName, double units) throws IOException {
    json.writeStartObject();
    json.writeStringField("TableName", tableName);
    json.writeNumberField("CapacityUnits", units);
    if (this == INDEXES) {
      json.writeObjectFieldStart("Table");
      json.writeNumberField("CapacityUnits", units);
      json.writeEndObject();
    }
    json.writeEndObject();
  }
}
