package io.cairn.expressions;

import io.cairn.core.value.AttributeValue;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed ConditionExpression or FilterExpression (or a translated Expected, QueryFilter or
 * ScanFilter). Immutable and safe to share across threads once built.
 */
public final class ConditionExpression {
  private final Ast.Condition condition;

  ConditionExpression(Ast.Condition condition) {
    this.condition = Objects.requireNonNull(condition, "condition");
  }

  /** Whether {@code item} satisfies the condition; pass an empty map for an absent item. */
  public boolean test(Map<String, AttributeValue> item) {
    return Evaluator.test(condition, item);
  }

  /**
   * The expression as text with fresh placeholders; {@link Expressions#parseCondition(ExpressionSource)}
   * turns it back into an equivalent expression.
   */
  public ExpressionSource source() {
    return Renderer.condition(condition);
  }

  Ast.Condition condition() {
    return condition;
  }

  @Override
  public String toString() {
    return "ConditionExpression[" + condition + "]";
  }
}
