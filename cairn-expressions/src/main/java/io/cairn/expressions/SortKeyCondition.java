package io.cairn.expressions;

import io.cairn.core.value.AttributeValue;
import java.util.List;
import java.util.Objects;

/**
 * The optional sort-key part of a key condition. {@code values} holds one value, or two for
 * BETWEEN (lower bound first).
 */
public record SortKeyCondition(String attributeName, Operator operator, List<AttributeValue> values) {

  public enum Operator { EQ, LT, LE, GT, GE, BETWEEN, BEGINS_WITH }

  public SortKeyCondition {
    Objects.requireNonNull(attributeName, "attributeName");
    Objects.requireNonNull(operator, "operator");
    values = List.copyOf(values);
    if (values.size() != (operator == Operator.BETWEEN ? 2 : 1)) {
      throw new IllegalArgumentException(operator + " takes " + (operator == Operator.BETWEEN ? 2 : 1) + " values");
    }
  }

  /** Whether a sort key value satisfies the condition. */
  public boolean matches(AttributeValue sortKeyValue) {
    AttributeValue first = values.get(0);
    return switch (operator) {
      case EQ -> first.equals(sortKeyValue);
      case LT -> Evaluator.compare(Ast.Comparator.LT, sortKeyValue, first);
      case LE -> Evaluator.compare(Ast.Comparator.LE, sortKeyValue, first);
      case GT -> Evaluator.compare(Ast.Comparator.GT, sortKeyValue, first);
      case GE -> Evaluator.compare(Ast.Comparator.GE, sortKeyValue, first);
      case BETWEEN -> Evaluator.compare(Ast.Comparator.GE, sortKeyValue, first)
          && Evaluator.compare(Ast.Comparator.LE, sortKeyValue, values.get(1));
      case BEGINS_WITH -> {
        if (sortKeyValue instanceof AttributeValue.S s && first instanceof AttributeValue.S p) {
          yield s.value().startsWith(p.value());
        }
        if (sortKeyValue instanceof AttributeValue.B b && first instanceof AttributeValue.B p) {
          yield b.value().startsWith(p.value());
        }
        yield false;
      }
    };
  }
}
