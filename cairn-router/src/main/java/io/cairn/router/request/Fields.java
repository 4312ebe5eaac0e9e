package io.cairn.router.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.error.DynamoDbException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of request members. A member of the wrong JSON type is a SerializationException,
 * as in DynamoDB, whose JSON layer rejects it before validation runs; a JSON null is treated as
 * absent, as DynamoDB does.
 */
public final class Fields {
  private Fields() {}

  public static JsonNode member(JsonNode parent, String name) {
    JsonNode value = parent.get(name);
    return value == null || value.isNull() ? null : value;
  }

  public static String string(JsonNode parent, String name) {
    JsonNode value = member(parent, name);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw wrongType(value, "String");
    }
    return value.textValue();
  }

  public static Boolean bool(JsonNode parent, String name) {
    JsonNode value = member(parent, name);
    if (value == null) {
      return null;
    }
    if (!value.isBoolean()) {
      throw wrongType(value, "Boolean");
    }
    return value.booleanValue();
  }

  /** An integer member; DynamoDB's JSON layer accepts JSON numbers for integer members. */
  public static Long integer(JsonNode parent, String name) {
    JsonNode value = member(parent, name);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      if (value.isNumber()) {
        throw DynamoDbException.serialization("NUMBER_VALUE cannot be converted to Long");
      }
      throw wrongType(value, "Long");
    }
    return value.longValue();
  }

  public static ObjectNode object(JsonNode parent, String name) {
    JsonNode value = member(parent, name);
    if (value == null) {
      return null;
    }
    if (!value.isObject()) {
      throw wrongType(value, "Structure");
    }
    return (ObjectNode) value;
  }

  public static ArrayNode array(JsonNode parent, String name) {
    JsonNode value = member(parent, name);
    if (value == null) {
      return null;
    }
    if (!value.isArray()) {
      throw wrongType(value, "List");
    }
    return (ArrayNode) value;
  }

  /** A list of structures. */
  public static List<ObjectNode> objects(JsonNode parent, String name) {
    ArrayNode array = array(parent, name);
    if (array == null) {
      return null;
    }
    List<ObjectNode> result = new ArrayList<>(array.size());
    for (JsonNode element : array) {
      if (!element.isObject()) {
        throw wrongType(element, "Structure");
      }
      result.add((ObjectNode) element);
    }
    return result;
  }

  public static List<String> strings(JsonNode parent, String name) {
    ArrayNode array = array(parent, name);
    if (array == null) {
      return null;
    }
    List<String> result = new ArrayList<>(array.size());
    for (JsonNode element : array) {
      if (!element.isTextual()) {
        throw wrongType(element, "String");
      }
      result.add(element.textValue());
    }
    return result;
  }

  /** A map of string to string, such as ExpressionAttributeNames. */
  public static Map<String, String> stringMap(JsonNode parent, String name) {
    ObjectNode object = object(parent, name);
    if (object == null) {
      return null;
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : object.properties()) {
      if (!entry.getValue().isTextual()) {
        throw wrongType(entry.getValue(), "String");
      }
      result.put(entry.getKey(), entry.getValue().textValue());
    }
    return result;
  }

  static DynamoDbException wrongType(JsonNode value, String expected) {
    String found =
        switch (value.getNodeType()) {
          case OBJECT, POJO -> "Start of structure or map found where not expected";
          case ARRAY -> "Start of list found where not expected";
          case STRING -> "STRING_VALUE can not be converted to " + expected;
          case NUMBER -> "NUMBER_VALUE can not be converted to " + expected;
          case BOOLEAN -> "TRUE_VALUE can not be converted to " + expected;
          case NULL, MISSING, BINARY -> "Unexpected value where " + expected + " expected";
        };
    if (value.isBoolean() && !value.booleanValue()) {
      found = "FALSE_VALUE can not be converted to " + expected;
    }
    return DynamoDbException.serialization(found);
  }
}
