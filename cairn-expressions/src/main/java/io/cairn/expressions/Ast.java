package io.cairn.expressions;

import io.cairn.core.value.AttributeValue;
import java.util.List;

/** The syntax trees every expression (and every legacy parameter) is translated into. */
final class Ast {
  private Ast() {}

  /** Something that yields a value from an item (or nothing, when a path is missing). */
  sealed interface Operand permits PathOperand, ValueOperand, FunctionOperand, Arithmetic {}

  record PathOperand(DocumentPath path) implements Operand {}

  /** A literal from ExpressionAttributeValues (or from a legacy parameter). */
  record ValueOperand(String placeholder, AttributeValue value) implements Operand {}

  /** size, if_not_exists or list_append. */
  record FunctionOperand(String name, List<Operand> arguments) implements Operand {}

  /** {@code left + right} or {@code left - right} in SET. */
  record Arithmetic(Operand left, char operator, Operand right) implements Operand {}

  enum Comparator {
    EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

    final String symbol;

    Comparator(String symbol) {
      this.symbol = symbol;
    }
  }

  sealed interface Condition
      permits Comparison, Between, In, And, Or, Not, FunctionCondition, Parenthesized {}

  record Comparison(Comparator comparator, Operand left, Operand right) implements Condition {}

  record Between(Operand value, Operand low, Operand high) implements Condition {}

  record In(Operand value, List<Operand> candidates) implements Condition {}

  record And(Condition left, Condition right) implements Condition {}

  record Or(Condition left, Condition right) implements Condition {}

  record Not(Condition inner) implements Condition {}

  /** attribute_exists, attribute_not_exists, attribute_type, begins_with or contains. */
  record FunctionCondition(String name, List<Operand> arguments) implements Condition {}

  /** Kept so the redundant-parentheses rule can be checked; evaluates as its inner condition. */
  record Parenthesized(Condition inner) implements Condition {}
}
