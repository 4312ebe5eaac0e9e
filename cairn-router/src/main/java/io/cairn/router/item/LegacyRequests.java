package io.cairn.router.item;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.AttributeUpdate;
import io.cairn.expressions.ConditionExpression;
import io.cairn.expressions.ExpectedAttribute;
import io.cairn.expressions.KeyCondition;
import io.cairn.expressions.KeySchemaInfo;
import io.cairn.expressions.LegacyCondition;
import io.cairn.expressions.LegacyParameters;
import io.cairn.expressions.ProjectionExpression;
import io.cairn.expressions.UpdateExpression;
import io.cairn.protocol.json.AttributeValueJson;
import io.cairn.router.request.Fields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The legacy (pre-2014) parameters, read from JSON into the expression module's records; the
 * expression module gives them the same semantics as the equivalent expressions.
 */
final class LegacyRequests {
  private LegacyRequests() {}

  static ConditionExpression expected(ObjectNode expected, String conditionalOperator) {
    if (expected == null) {
      checkOperatorAlone(conditionalOperator, "Expected");
      return null;
    }
    Map<String, ExpectedAttribute> entries = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : expected.properties()) {
      ObjectNode node = structure(entry.getValue());
      ObjectNode value = Fields.object(node, "Value");
      entries.put(entry.getKey(), new ExpectedAttribute(
          value == null ? null : AttributeValueJson.readValue(value),
          Fields.bool(node, "Exists"),
          Fields.string(node, "ComparisonOperator"),
          values(Fields.array(node, "AttributeValueList"))));
    }
    return LegacyParameters.expected(entries, conditionalOperator);
  }

  static ConditionExpression filter(ObjectNode filter, String conditionalOperator, String parameterName) {
    if (filter == null) {
      checkOperatorAlone(conditionalOperator, parameterName);
      return null;
    }
    return parameterName.equals("QueryFilter")
        ? LegacyParameters.queryFilter(conditions(filter), conditionalOperator)
        : LegacyParameters.scanFilter(conditions(filter), conditionalOperator);
  }

  static KeyCondition keyConditions(ObjectNode keyConditions, KeySchemaInfo keys) {
    return LegacyParameters.keyConditions(conditions(keyConditions), keys);
  }

  static UpdateExpression attributeUpdates(ObjectNode updates) {
    if (updates == null) {
      return null;
    }
    Map<String, AttributeUpdate> entries = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : updates.properties()) {
      ObjectNode node = structure(entry.getValue());
      ObjectNode value = Fields.object(node, "Value");
      entries.put(entry.getKey(), new AttributeUpdate(
          value == null ? null : AttributeValueJson.readValue(value), Fields.string(node, "Action")));
    }
    return LegacyParameters.attributeUpdates(entries);
  }

  static ProjectionExpression attributesToGet(List<String> names) {
    return names == null ? null : LegacyParameters.attributesToGet(names);
  }

  private static Map<String, LegacyCondition> conditions(ObjectNode node) {
    Map<String, LegacyCondition> entries = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      ObjectNode condition = structure(entry.getValue());
      entries.put(entry.getKey(), new LegacyCondition(
          Fields.string(condition, "ComparisonOperator"), values(Fields.array(condition, "AttributeValueList"))));
    }
    return entries;
  }

  private static List<AttributeValue> values(ArrayNode array) {
    if (array == null) {
      return null;
    }
    List<AttributeValue> values = new ArrayList<>(array.size());
    for (JsonNode element : array) {
      values.add(AttributeValueJson.readValue(element));
    }
    return values;
  }

  private static ObjectNode structure(JsonNode node) {
    if (!node.isObject()) {
      throw DynamoDbException.serialization("Unexpected value where Structure expected");
    }
    return (ObjectNode) node;
  }

  private static void checkOperatorAlone(String conditionalOperator, String parameterName) {
    if (conditionalOperator != null) {
      throw DynamoDbException.validation(
          "ConditionalOperator cannot be used without " + parameterName + " (its conditions must be specified)");
    }
  }
}
