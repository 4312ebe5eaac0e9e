package io.cairn.router.item;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.expressions.ConditionExpression;
import io.cairn.expressions.ExpressionAttributes;
import io.cairn.expressions.Expressions;
import io.cairn.router.request.Fields;

/** The condition of a write and the filter of a read, from either parameter style. */
final class Conditions {
  private Conditions() {}

  /** ConditionExpression, or the legacy Expected with ConditionalOperator; null when neither. */
  static ConditionExpression forWrite(ObjectNode request, ExpressionAttributes attributes) {
    String text = Fields.string(request, "ConditionExpression");
    if (text != null) {
      return Expressions.parseCondition(text, attributes, "ConditionExpression");
    }
    return LegacyRequests.expected(Fields.object(request, "Expected"), Fields.string(request, "ConditionalOperator"));
  }

  /** FilterExpression, or the legacy QueryFilter/ScanFilter with ConditionalOperator; null when neither. */
  static ConditionExpression filter(ObjectNode request, ExpressionAttributes attributes, String legacyParameter) {
    String text = Fields.string(request, "FilterExpression");
    if (text != null) {
      return Expressions.parseCondition(text, attributes, "FilterExpression");
    }
    return LegacyRequests.filter(
        Fields.object(request, legacyParameter), Fields.string(request, "ConditionalOperator"), legacyParameter);
  }
}
