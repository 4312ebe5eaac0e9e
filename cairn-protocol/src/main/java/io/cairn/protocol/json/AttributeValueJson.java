package io.cairn.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.Limits;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import io.cairn.core.value.Bytes;
import io.cairn.core.value.DynamoNumber;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes DynamoDB's JSON form of attribute values: {@code {"S": "text"}}, {@code {"N":
 * "1.5"}}, {@code {"M": {...}}} and so on.
 *
 * <p>Reading validates the way DynamoDB does and fails with its error types and wording: a wrong
 * JSON type is a SerializationException (see {@link JsonShapes}); an empty value, several types in
 * one value, {@code NULL: false}, an empty set or a set with duplicates, a bad number and a
 * document nested deeper than {@link Limits#NESTING_DEPTH_MAX} are ValidationExceptions. Members
 * whose JSON value is {@code null} and members with unknown names are ignored, as DynamoDB's
 * deserializer ignores them.
 */
public final class AttributeValueJson {
  private AttributeValueJson() {}

  private static final String INVALID = "One or more parameter values were invalid: ";

  /** Reads one attribute value (the object holding exactly one type descriptor). */
  public static AttributeValue readValue(JsonNode node) {
    return readValue(node, 1);
  }

  /** Reads an item: a map from attribute names to attribute values. */
  public static Map<String, AttributeValue> readItem(JsonNode node) {
    ObjectNode object = JsonShapes.requireMap(node);
    Map<String, AttributeValue> item = new LinkedHashMap<>(Math.max(4, object.size() * 2));
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      if (field.getValue().isNull()) {
        throw emptyValue();
      }
      item.put(field.getKey(), readValue(field.getValue(), 1));
    }
    return item;
  }

  /**
   * Reads a primary key. The JSON shape and validation are those of an item; checking the key
   * against the table's schema (names, types, empty values) needs the schema and belongs to the
   * operation.
   */
  public static Map<String, AttributeValue> readKey(JsonNode node) {
    return readItem(node);
  }

  /**
   * @param depth the document depth of this value: 1 for a top-level attribute, +1 inside each
   *     M or L
   */
  private static AttributeValue readValue(JsonNode node, int depth) {
    ObjectNode object = JsonShapes.requireStructure(node);
    String typeName = null;
    JsonNode typeValue = null;
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      if (field.getValue().isNull() || !isTypeName(field.getKey())) {
        continue;
      }
      if (typeName != null) {
        throw DynamoDbException.validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
      }
      typeName = field.getKey();
      typeValue = field.getValue();
    }
    if (typeName == null) {
      throw emptyValue();
    }
    return switch (typeName) {
      case "S" -> new AttributeValue.S(JsonShapes.requireString(typeValue));
      case "N" -> new AttributeValue.N(DynamoNumber.parse(JsonShapes.requireString(typeValue)));
      case "B" -> new AttributeValue.B(JsonShapes.requireBlob(typeValue));
      case "BOOL" -> AttributeValue.Bool.of(JsonShapes.requireBoolean(typeValue));
      case "NULL" -> readNull(typeValue);
      case "M" -> readMap(typeValue, depth);
      case "L" -> readList(typeValue, depth);
      case "SS" -> readStringSet(typeValue);
      case "NS" -> readNumberSet(typeValue);
      case "BS" -> readBinarySet(typeValue);
      default -> throw new IllegalStateException("unhandled type " + typeName);
    };
  }

  private static boolean isTypeName(String name) {
    return switch (name) {
      case "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS" -> true;
      default -> false;
    };
  }

  private static AttributeValue readNull(JsonNode node) {
    if (!JsonShapes.requireBoolean(node)) {
      throw DynamoDbException.validation(INVALID + "Null attribute value types must have the value of true");
    }
    return AttributeValue.Null.INSTANCE;
  }

  private static AttributeValue readMap(JsonNode node, int depth) {
    ObjectNode object = JsonShapes.requireMap(node);
    checkDepth(depth + 1);
    Map<String, AttributeValue> members = new LinkedHashMap<>(Math.max(4, object.size() * 2));
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      if (field.getValue().isNull()) {
        throw emptyValue();
      }
      members.put(field.getKey(), readValue(field.getValue(), depth + 1));
    }
    return new AttributeValue.M(members);
  }

  private static AttributeValue readList(JsonNode node, int depth) {
    ArrayNode array = JsonShapes.requireList(node);
    checkDepth(depth + 1);
    List<AttributeValue> members = new ArrayList<>(array.size());
    for (JsonNode member : array) {
      if (member.isNull()) {
        throw emptyValue();
      }
      members.add(readValue(member, depth + 1));
    }
    return new AttributeValue.L(members);
  }

  private static void checkDepth(int depth) {
    if (depth > Limits.NESTING_DEPTH_MAX) {
      throw DynamoDbException.validation(INVALID + "Nesting Levels have exceeded supported limits");
    }
  }

  private static List<String> readSetMembers(JsonNode node, String setTypeWord, String memberType) {
    ArrayNode array = JsonShapes.requireList(node);
    if (array.isEmpty()) {
      throw DynamoDbException.validation(INVALID + "An " + setTypeWord + " set  may not be empty");
    }
    List<String> texts = new ArrayList<>(array.size());
    for (JsonNode member : array) {
      if (member.isNull()) {
        throw DynamoDbException.serialization("Null member found in a " + setTypeWord + " set");
      }
      texts.add(JsonShapes.requireStringFor(member, memberType));
    }
    return texts;
  }

  private static AttributeValue readStringSet(JsonNode node) {
    List<String> members = readSetMembers(node, "string", "String");
    checkNoDuplicates(members, members);
    return new AttributeValue.SS(members);
  }

  private static AttributeValue readNumberSet(JsonNode node) {
    List<String> texts = readSetMembers(node, "number", "String");
    List<DynamoNumber> members = new ArrayList<>(texts.size());
    for (String text : texts) {
      members.add(DynamoNumber.parse(text));
    }
    checkNoDuplicates(members, texts);
    return new AttributeValue.NS(members);
  }

  private static AttributeValue readBinarySet(JsonNode node) {
    List<String> texts = readSetMembers(node, "binary", "Blob");
    List<Bytes> members = new ArrayList<>(texts.size());
    for (String text : texts) {
      members.add(Bytes.wrap(JsonShapes.decodeBase64(text)));
    }
    checkNoDuplicates(members, texts);
    return new AttributeValue.BS(members);
  }

  /** Numbers are duplicates when numerically equal (1 and 1.0), binaries when byte-equal. */
  private static void checkNoDuplicates(List<?> members, List<String> asSent) {
    Set<Object> seen = new HashSet<>(members.size() * 2);
    for (Object member : members) {
      if (!seen.add(member)) {
        throw DynamoDbException.validation("Input collection " + asSent + " contains duplicates.");
      }
    }
  }

  private static DynamoDbException emptyValue() {
    return DynamoDbException.validation(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }

  // ---- writing ----

  /** Writes one attribute value as its JSON object. */
  public static void writeValue(JsonGenerator json, AttributeValue value) throws IOException {
    json.writeStartObject();
    json.writeFieldName(value.typeName());
    switch (value) {
      case AttributeValue.S s -> json.writeString(s.value());
      case AttributeValue.N n -> json.writeString(n.value().toString());
      case AttributeValue.B b -> writeBytes(json, b.value());
      case AttributeValue.Bool bool -> json.writeBoolean(bool.value());
      case AttributeValue.Null ignored -> json.writeBoolean(true);
      case AttributeValue.M m -> writeItem(json, m.value());
      case AttributeValue.L l -> {
        json.writeStartArray();
        for (AttributeValue member : l.value()) {
          writeValue(json, member);
        }
        json.writeEndArray();
      }
      case AttributeValue.SS ss -> {
        json.writeStartArray();
        for (String member : ss.value()) {
          json.writeString(member);
        }
        json.writeEndArray();
      }
      case AttributeValue.NS ns -> {
        json.writeStartArray();
        for (DynamoNumber member : ns.value()) {
          json.writeString(member.toString());
        }
        json.writeEndArray();
      }
      case AttributeValue.BS bs -> {
        json.writeStartArray();
        for (Bytes member : bs.value()) {
          writeBytes(json, member);
        }
        json.writeEndArray();
      }
    }
    json.writeEndObject();
  }

  /** Writes an item (or a key, or the members of an M) as a JSON object of attribute values. */
  public static void writeItem(JsonGenerator json, Map<String, AttributeValue> item) throws IOException {
    json.writeStartObject();
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      json.writeFieldName(attribute.getKey());
      writeValue(json, attribute.getValue());
    }
    json.writeEndObject();
  }

  private static void writeBytes(JsonGenerator json, Bytes bytes) throws IOException {
    // Jackson writes standard base64 with padding and no line breaks, as DynamoDB does.
    json.writeBinary(bytes.unsafeArray(), 0, bytes.length());
  }
}
