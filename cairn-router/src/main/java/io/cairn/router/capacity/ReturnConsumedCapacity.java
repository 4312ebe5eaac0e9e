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
