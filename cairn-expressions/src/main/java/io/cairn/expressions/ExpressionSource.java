package io.cairn.expressions;

import io.cairn.core.value.AttributeValue;
import java.util.Map;
import java.util.Objects;

/**
 * An expression as text with the placeholders it uses: what {@link ConditionExpression#source()}
 * and {@link UpdateExpression#source()} render, and what {@link Expressions#parseCondition(ExpressionSource)}
 * and {@link Expressions#parseUpdate(ExpressionSource)} read back into an equivalent expression.
 *
 * <p>This is how an already validated expression travels through a replicated log: every name is
 * a {@code #nK} placeholder and every value a {@code :vK} placeholder, so reserved words and odd
 * characters in attribute names never matter.
 *
 * @param text the expression, e.g. {@code #n0 = :v0 AND attribute_exists(#n1)}
 * @param names the name placeholders the text uses (possibly empty)
 * @param values the value placeholders the text uses (possibly empty)
 * @param legacy whether ADD and DELETE actions carry the AttributeUpdates semantics (lists may be
 *     appended, legacy error messages); always false for a condition
 */
public record ExpressionSource(
    String text, Map<String, String> names, Map<String, AttributeValue> values, boolean legacy) {
  public ExpressionSource {
    Objects.requireNonNull(text, "text");
    names = Map.copyOf(names);
    values = Map.copyOf(values);
  }

  ExpressionAttributes attributes() {
    return new ExpressionAttributes(names.isEmpty() ? null : names, values.isEmpty() ? null : values);
  }
}
