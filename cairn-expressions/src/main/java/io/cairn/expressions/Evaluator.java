package io.cairn.expressions;

import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.Ast.Arithmetic;
import io.cairn.expressions.Ast.Condition;
import io.cairn.expressions.Ast.FunctionOperand;
import io.cairn.expressions.Ast.Operand;
import io.cairn.expressions.Ast.PathOperand;
import io.cairn.expressions.Ast.ValueOperand;
import java.util.List;
import java.util.Map;

/** Evaluates conditions against an item. Never throws for type mismatches: they are false. */
final class Evaluator {
  private Evaluator() {}

  static boolean test(Condition condition, Map<String, AttributeValue> item) {
    return switch (condition) {
      case Ast.Parenthesized p -> test(p.inner(), item);
      case Ast.And and -> test(and.left(), item) && test(and.right(), item);
      case Ast.Or or -> test(or.left(), item) || test(or.right(), item);
      case Ast.Not not -> !test(not.inner(), item);
      case Ast.Comparison c -> compare(c.comparator(), operand(c.left(), item), operand(c.right(), item));
      case Ast.Between b -> {
        AttributeValue value = operand(b.value(), item);
        AttributeValue low = operand(b.low(), item);
        AttributeValue high = operand(b.high(), item);
        yield Values.orderable(value, low)
            && Values.orderable(value, high)
            && Values.compare(low, value) <= 0
            && Values.compare(value, high) <= 0;
      }
      case Ast.In in -> {
        AttributeValue value = operand(in.value(), item);
        if (value == null) {
          yield false;
        }
        for (Operand candidate : in.candidates()) {
          if (value.equals(operand(candidate, item))) {
            yield true;
          }
        }
        yield false;
      }
      case Ast.FunctionCondition f -> function(f.name(), f.arguments(), item);
    };
  }

  static boolean compare(Ast.Comparator comparator, AttributeValue left, AttributeValue right) {
    return switch (comparator) {
      case EQ -> left != null && left.equals(right);
      // A missing attribute is "not equal" to any value, as DynamoDB evaluates it.
      case NE -> left == null || right == null || !left.equals(right);
      case LT -> Values.orderable(left, right) && Values.compare(left, right) < 0;
      case LE -> Values.orderable(left, right) && Values.compare(left, right) <= 0;
      case GT -> Values.orderable(left, right) && Values.compare(left, right) > 0;
      case GE -> Values.orderable(left, right) && Values.compare(left, right) >= 0;
    };
  }

  private static boolean function(String name, List<Operand> arguments, Map<String, AttributeValue> item) {
    switch (name) {
      case "attribute_exists":
        return operand(arguments.get(0), item) != null;
      case "attribute_not_exists":
        return operand(arguments.get(0), item) == null;
      case "attribute_type": {
        AttributeValue value = operand(arguments.get(0), item);
        AttributeValue type = operand(arguments.get(1), item);
        return value != null && type instanceof AttributeValue.S s && value.typeName().equals(s.value());
      }
      case "begins_with": {
        AttributeValue value = operand(arguments.get(0), item);
        AttributeValue prefix = operand(arguments.get(1), item);
        if (value instanceof AttributeValue.S s && prefix instanceof AttributeValue.S p) {
          return s.value().startsWith(p.value());
        }
        if (value instanceof AttributeValue.B b && prefix instanceof AttributeValue.B p) {
          return b.value().startsWith(p.value());
        }
        return false;
      }
      case "contains": {
        AttributeValue value = operand(arguments.get(0), item);
        AttributeValue member = operand(arguments.get(1), item);
        if (value == null || member == null) {
          return false;
        }
        return switch (value) {
          case AttributeValue.S s -> member instanceof AttributeValue.S m && s.value().contains(m.value());
          case AttributeValue.B b -> member instanceof AttributeValue.B m && Values.bytesContain(b.value(), m.value());
          case AttributeValue.SS ignored -> Values.setContains(value, member);
          case AttributeValue.NS ignored -> Values.setContains(value, member);
          case AttributeValue.BS ignored -> Values.setContains(value, member);
          case AttributeValue.L l -> l.value().contains(member);
          default -> false;
        };
      }
      default:
        // The parser refuses every other name before an expression can be evaluated.
        throw new IllegalStateException("unknown condition function " + name);
    }
  }

  /** The value of an operand in a condition, or null when it names nothing. */
  static AttributeValue operand(Operand operand, Map<String, AttributeValue> item) {
    return switch (operand) {
      case PathOperand p -> Documents.get(item, p.path());
      case ValueOperand v -> v.value();
      case FunctionOperand f -> f.name().equals("size") ? size(operand(f.arguments().get(0), item)) : null;
      case Arithmetic ignored -> null;
    };
  }

  /**
   * DynamoDB's size(): UTF-16 code units of a string (what real DynamoDB counts), bytes of a
   * binary, members of a set, elements of a list or map. Other types have no size.
   */
  static AttributeValue size(AttributeValue value) {
    if (value == null) {
      return null;
    }
    long size = switch (value) {
      case AttributeValue.S s -> s.value().length();
      case AttributeValue.B b -> b.value().length();
      case AttributeValue.SS ss -> ss.value().size();
      case AttributeValue.NS ns -> ns.value().size();
      case AttributeValue.BS bs -> bs.value().size();
      case AttributeValue.L l -> l.value().size();
      case AttributeValue.M m -> m.value().size();
      case AttributeValue.N ignored -> -1;
      case AttributeValue.Bool ignored -> -1;
      case AttributeValue.Null ignored -> -1;
    };
    return size < 0 ? null : AttributeValue.n(size);
  }
}
