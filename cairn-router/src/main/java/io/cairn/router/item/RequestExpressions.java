package io.cairn.router.item;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.ExpressionAttributes;
import io.cairn.protocol.json.AttributeValueJson;
import io.cairn.router.request.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The expression parameters of one request, and DynamoDB's rules for combining them with the
 * legacy (pre-expression) parameters: a request uses one style or the other, never both.
 */
final class RequestExpressions {
  private RequestExpressions() {}

  /** The request's ExpressionAttributeNames and ExpressionAttributeValues (either may be absent). */
  static ExpressionAttributes attributes(ObjectNode request) {
    Map<String, String> names = Fields.stringMap(request, "ExpressionAttributeNames");
    ObjectNode valuesNode = Fields.object(request, "ExpressionAttributeValues");
    Map<String, AttributeValue> values = valuesNode == null ? null : AttributeValueJson.readItem(valuesNode);
    return new ExpressionAttributes(names, values);
  }

  /**
   * Refuses a mix of legacy and expression parameters, and placeholders without expressions, with
   * DynamoDB's messages.
   *
   * @param legacy names of the legacy parameters this operation knows
   * @param expressions names of the expression parameters this operation knows
   */
  static void checkStyle(ObjectNode request, List<String> legacy, List<String> expressions) {
    List<String> legacyPresent = present(request, legacy);
    List<String> expressionPresent = present(request, expressions);
    if (!legacyPresent.isEmpty() && !expressionPresent.isEmpty()) {
      throw DynamoDbException.validation(
          "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {"
              + String.join(", ", legacyPresent) + "} Expression parameters: {" + String.join(", ", expressionPresent) + "}");
    }
    if (expressionPresent.isEmpty()) {
      if (Fields.member(request, "ExpressionAttributeNames") != null) {
        throw DynamoDbException.validation("ExpressionAttributeNames can only be specified when using expressions");
      }
      if (Fields.member(request, "ExpressionAttributeValues") != null) {
        throw DynamoDbException.validation("ExpressionAttributeValues can only be specified when using expressions");
      }
    }
  }

  private static List<String> present(ObjectNode request, List<String> names) {
    List<String> found = new ArrayList<>(2);
    for (String name : names) {
      if (Fields.member(request, name) != null) {
        found.add(name);
      }
    }
    return found;
  }
}
