package io.cairn.protocol.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.Bytes;

/**
 * Checks that a JSON value has the shape the DynamoDB model expects, failing the way DynamoDB's
 * deserializer does: a SerializationException with its wording.
 *
 * <p>The wording follows what DynamoDB answers today ("NUMBER_VALUE cannot be converted to
 * String", "Start of structure or map found where not expected.", "Start of list found where not
 * expected", "Expected map or null", "Expected list or null", "Expected null"). A JSON
 * {@code null} counts as an absent member everywhere, as it does in DynamoDB, so these methods are
 * only called for non-null values. Operation parsers in other modules should use these helpers so
 * that every wrong type is reported in the same words.
 */
public final class JsonShapes {
  private JsonShapes() {}

  /** A structure (a request or a nested request object such as ProvisionedThroughput). */
  public static ObjectNode requireStructure(JsonNode node) {
    if (node instanceof ObjectNode object) {
      return object;
    }
    throw notAStructure(node);
  }

  /** A map from names to values, such as Item, Key or ExpressionAttributeValues. */
  public static ObjectNode requireMap(JsonNode node) {
    if (node instanceof ObjectNode object) {
      return object;
    }
    if (node.isArray()) {
      throw listNotExpected();
    }
    throw DynamoDbException.serialization("Expected map or null");
  }

  public static ArrayNode requireList(JsonNode node) {
    if (node instanceof ArrayNode array) {
      return array;
    }
    if (node.isObject()) {
      throw structureNotExpected();
    }
    throw DynamoDbException.serialization("Expected list or null");
  }

  public static String requireString(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue();
    }
    throw scalarMismatch(node, "String");
  }

  public static boolean requireBoolean(JsonNode node) {
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isTextual()) {
      // DynamoDB's deserializer converts strings to booleans the way Java's Boolean.parseBoolean does.
      return Boolean.parseBoolean(node.textValue());
    }
    throw scalarMismatch(node, "Boolean");
  }

  /**
   * An Integer member such as Limit or Segment. A fractional number is truncated toward zero, as
   * DynamoDB's deserializer does; a value outside the int range is refused like a wrong type.
   */
  public static int requireInt(JsonNode node) {
    if (node.isNumber() && node.canConvertToInt()) {
      return node.intValue();
    }
    if (node.isNumber()) {
      throw DynamoDbException.serialization("NUMBER_VALUE cannot be converted to Integer");
    }
    throw scalarMismatch(node, "Integer");
  }

  /** A Long member. Fractions are truncated toward zero; values outside the long range are refused. */
  public static long requireLong(JsonNode node) {
    if (node.isNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      throw DynamoDbException.serialization("NUMBER_VALUE cannot be converted to Long");
    }
    throw scalarMismatch(node, "Long");
  }

  /** A blob: a base64 string, decoded strictly (DynamoDB refuses malformed base64). */
  public static Bytes requireBlob(JsonNode node) {
    return Bytes.wrap(decodeBase64(requireStringFor(node, "Blob")));
  }

  static String requireStringFor(JsonNode node, String targetType) {
    if (node.isTextual()) {
      return node.textValue();
    }
    throw scalarMismatch(node, targetType);
  }

  /** The error for a value that is neither an object nor null where a structure is required. */
  public static DynamoDbException notAStructure(JsonNode node) {
    if (node.isArray()) {
      return listNotExpected();
    }
    return DynamoDbException.serialization("Expected null");
  }

  static DynamoDbException scalarMismatch(JsonNode node, String targetType) {
    if (node.isObject()) {
      return structureNotExpected();
    }
    if (node.isArray()) {
      return listNotExpected();
    }
    return DynamoDbException.serialization(tokenName(node) + " cannot be converted to " + targetType);
  }

  static DynamoDbException structureNotExpected() {
    return DynamoDbException.serialization("Start of structure or map found where not expected.");
  }

  static DynamoDbException listNotExpected() {
    return DynamoDbException.serialization("Start of list found where not expected");
  }

  private static String tokenName(JsonNode node) {
    JsonNodeType type = node.getNodeType();
    return switch (type) {
      case STRING -> "STRING_VALUE";
      case NUMBER -> "NUMBER_VALUE";
      case BOOLEAN -> node.booleanValue() ? "TRUE_VALUE" : "FALSE_VALUE";
      case NULL, MISSING -> "VALUE_NULL";
      case ARRAY -> "START_ARRAY";
      case OBJECT, POJO -> "START_OBJECT";
      case BINARY -> "VALUE_EMBEDDED_OBJECT";
    };
  }

  /**
   * Decodes standard base64 with padding, as DynamoDB's deserializer does, with its messages.
   * Whitespace and URL-safe characters are refused.
   */
  static byte[] decodeBase64(String text) {
    if (text.length() % 4 != 0) {
      throw DynamoDbException.serialization(
          "'" + abbreviate(text) + "' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: "
              + text.length());
    }
    int padding = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean isPad = c == '=';
      if (isPad) {
        if (i < text.length() - 2) {
          throw invalidBase64Char(text, c);
        }
        padding++;
        continue;
      }
      if (padding > 0 || !isBase64Char(c)) {
        throw invalidBase64Char(text, c);
      }
    }
    if (padding > 0) {
      // The bits of the last character that fall beyond the data must be zero; Java's decoder
      // ignores them, DynamoDB's refuses them (with its own spelling).
      int unusedBitsMask = padding == 1 ? 0b11 : 0b1111;
      if ((base64Value(text.charAt(text.length() - padding - 1)) & unusedBitsMask) != 0) {
        throw DynamoDbException.serialization(
            "'" + abbreviate(text) + "' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
      }
    }
    return java.util.Base64.getDecoder().decode(text);
  }

  private static int base64Value(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    return c == '+' ? 62 : 63;
  }

  private static DynamoDbException invalidBase64Char(String text, char c) {
    return DynamoDbException.serialization(
        "'" + abbreviate(text) + "' can not be converted to a Blob: Invalid Base64 character: '" + c + "'");
  }

  private static boolean isBase64Char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }
}
