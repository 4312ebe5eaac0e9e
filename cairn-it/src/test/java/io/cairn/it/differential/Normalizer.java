package io.cairn.it.differential;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reduces a response to what must be equal between two faithful implementations: request ids and
 * headers are dropped (only status and body are kept), timestamps and table ids removed, ARNs'
 * region and account replaced, set members sorted, BatchGetItem responses sorted, and the error
 * {@code __type} reduced to its short name. Error messages are dropped, except ValidationException
 * messages when {@code compareValidationMessages} is set (clients match on those words).
 */
public final class Normalizer {
  static final ObjectMapper MAPPER =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** Fields whose values legitimately differ between two servers, or two runs of one. */
  private static final Set<String> VOLATILE_FIELDS =
      Set.of(
          "CreationDateTime",
          "LastIncreaseDateTime",
          "LastDecreaseDateTime",
          "LastUpdateToPayPerRequestDateTime",
          "TableId",
          "LatestStreamLabel",
          // DynamoDB refreshes TableSizeBytes about every six hours; the value is not a contract.
          "TableSizeBytes",
          // Index sizes follow the same refresh as table sizes; the item count is compared.
          "IndexSizeBytes",
          // Cairn's own index-lag figure; DynamoDB has none.
          "CairnPendingIndexChanges");
  private static final Pattern ARN = Pattern.compile("arn:aws:dynamodb:[^:]*:[^:]*:");
  private static final Set<String> SET_TYPES = Set.of("SS", "NS", "BS");
  /** Arrays that are sets in DynamoDB's model, whatever order a server lists them in. */
  private static final Set<String> UNORDERED_ARRAYS = Set.of("AttributeDefinitions");

  private final boolean compareValidationMessages;
  private final boolean numbersByValue;

  public Normalizer(boolean compareValidationMessages) {
    this(compareValidationMessages, false);
  }

  /**
   * @param numbersByValue compare N values (and NS members) by numeric value, not spelling; off by
   *     default because the spelling DynamoDB returns ("100" for 1E+2) is part of its behaviour
   */
  public Normalizer(boolean compareValidationMessages, boolean numbersByValue) {
    this.compareValidationMessages = compareValidationMessages;
    this.numbersByValue = numbersByValue;
  }

  /** {"status": N, "body": normalised body} */
  public ObjectNode response(int status, String body) {
    ObjectNode out = JSON.objectNode().put("status", status);
    JsonNode parsed;
    try {
      parsed = body == null || body.isBlank() ? JSON.nullNode() : MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      out.put("rawBody", body);
      return out;
    }
    out.set("body", body(parsed));
    return out;
  }

  JsonNode body(JsonNode parsed) {
    JsonNode copy = parsed.deepCopy();
    if (copy instanceof ObjectNode object) {
      normaliseError(object);
    }
    walk(copy);
    // Sorted after the walk, so that items compare by their normalised form.
    if (copy instanceof ObjectNode object && object.get("Responses") instanceof ObjectNode responses) {
      responses.properties().forEach(e -> sortArray(e.getValue()));
    }
    return copy;
  }

  private void normaliseError(ObjectNode object) {
    JsonNode type = object.get("__type");
    if (type == null) {
      return;
    }
    String shortType = type.asText().substring(type.asText().lastIndexOf('#') + 1);
    object.put("__type", shortType);
    JsonNode message = object.has("message") ? object.get("message") : object.get("Message");
    object.remove("message");
    object.remove("Message");
    if (compareValidationMessages && shortType.equals("ValidationException") && message != null) {
      object.set("message", message);
    }
  }

  private JsonNode walk(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove(List.copyOf(VOLATILE_FIELDS));
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      List<Map.Entry<String, JsonNode>> replacements = new ArrayList<>();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode value = field.getValue();
        if (numbersByValue && field.getKey().equals("N") && value.isTextual()) {
          replacements.add(Map.entry("N", TextNode.valueOf(numericValue(value.asText()))));
        } else if (numbersByValue && field.getKey().equals("NS") && value.isArray()) {
          ArrayNode members = JSON.arrayNode();
          value.forEach(m -> members.add(numericValue(m.asText())));
          sortArray(members);
          replacements.add(Map.entry("NS", members));
        } else if ((SET_TYPES.contains(field.getKey()) || UNORDERED_ARRAYS.contains(field.getKey())) && value.isArray()) {
          walk(value);
          sortArray(value);
        } else if (value.isTextual() && ARN.matcher(value.asText()).find()) {
          replacements.add(Map.entry(field.getKey(), TextNode.valueOf(ARN.matcher(value.asText()).replaceAll("arn:aws:dynamodb:REGION:ACCOUNT:"))));
        } else {
          walk(value);
        }
      }
      replacements.forEach(r -> object.set(r.getKey(), r.getValue()));
    } else if (node instanceof ArrayNode array) {
      array.forEach(this::walk);
    }
    return node;
  }

  private static String numericValue(String n) {
    try {
      return new java.math.BigDecimal(n).stripTrailingZeros().toString();
    } catch (NumberFormatException e) {
      return n; // not a number: leave it for the comparison to show
    }
  }

  /** Sorts an array's elements by their canonical text (set members, unordered result lists). */
  static void sortArray(JsonNode node) {
    if (!(node instanceof ArrayNode array)) {
      return;
    }
    List<JsonNode> elements = new ArrayList<>();
    array.forEach(elements::add);
    elements.sort(Comparator.comparing(Normalizer::canonical));
    array.removeAll();
    elements.forEach(array::add);
  }

  /** JSON text with object keys sorted, so equal trees give equal strings. */
  public static String canonical(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(MAPPER.treeToValue(node, Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pretty(JsonNode node) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(MAPPER.treeToValue(node, Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
