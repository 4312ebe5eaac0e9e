package io.cairn.expressions;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.Ast.Condition;
import io.cairn.expressions.Ast.Operand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Entry points: parse each kind of expression against a request's {@link ExpressionAttributes}.
 * Every failure is a {@link DynamoDbException} of type VALIDATION with DynamoDB's message.
 */
public final class Expressions {
  private Expressions() {}

  /**
   * Parses a ConditionExpression or FilterExpression.
   *
   * @param parameterName the request parameter, named in error messages: "ConditionExpression"
   *     or "FilterExpression"
   */
  public static ConditionExpression parseCondition(
      String text, ExpressionAttributes attributes, String parameterName) {
    return new ConditionExpression(Parser.forCondition(text, attributes, parameterName).parseConditionExpression());
  }

  public static UpdateExpression parseUpdate(String text, ExpressionAttributes attributes) {
    return new UpdateExpression(Parser.forUpdate(text, attributes).parseUpdateExpression());
  }

  /**
   * Reads back a condition rendered by {@link ConditionExpression#source()}. The request that
   * carried it was validated when it was first parsed, so the request-size limits (expression
   * bytes, operator count) are not applied again: a translated legacy condition may exceed them.
   */
  public static ConditionExpression parseCondition(ExpressionSource source) {
    return new ConditionExpression(
        Parser.forRendered(source.text(), source.attributes(), "ConditionExpression", false, false)
            .parseConditionExpression());
  }

  /** Reads back an update rendered by {@link UpdateExpression#source()}; see {@link #parseCondition(ExpressionSource)}. */
  public static UpdateExpression parseUpdate(ExpressionSource source) {
    return new UpdateExpression(
        Parser.forRendered(source.text(), source.attributes(), "UpdateExpression", true, source.legacy())
            .parseUpdateExpression());
  }

  public static ProjectionExpression parseProjection(String text, ExpressionAttributes attributes) {
    return ProjectionExpression.of(Parser.forProjection(text, attributes).parseProjectionExpression());
  }

  /** Parses a KeyConditionExpression and checks it against the queried key schema. */
  public static KeyCondition parseKeyCondition(
      String text, ExpressionAttributes attributes, KeySchemaInfo keys) {
    Parser parser = Parser.forCondition(text, attributes, "KeyConditionExpression");
    Condition condition = parser.parseConditionExpression();
    List<KeyPart> parts = new ArrayList<>();
    flattenKeyCondition(condition, parts, parser);
    return assembleKeyCondition(parts, keys, parser);
  }

  /** One comparison of a key condition, already normalised to "attribute op values". */
  record KeyPart(String attributeName, SortKeyCondition.Operator operator, List<AttributeValue> values) {}

  private static void flattenKeyCondition(Condition condition, List<KeyPart> parts, Parser parser) {
    switch (condition) {
      case Ast.Parenthesized p -> flattenKeyCondition(p.inner(), parts, parser);
      case Ast.And and -> {
        flattenKeyCondition(and.left(), parts, parser);
        flattenKeyCondition(and.right(), parts, parser);
      }
      case Ast.Or ignored -> throw invalidOperator("OR");
      case Ast.Not ignored -> throw invalidOperator("NOT");
      case Ast.In ignored -> throw invalidOperator("IN");
      case Ast.Comparison c -> {
        if (c.comparator() == Ast.Comparator.NE) {
          throw invalidOperator("<>");
        }
        SortKeyCondition.Operator operator = switch (c.comparator()) {
          case EQ -> SortKeyCondition.Operator.EQ;
          case LT -> SortKeyCondition.Operator.LT;
          case LE -> SortKeyCondition.Operator.LE;
          case GT -> SortKeyCondition.Operator.GT;
          case GE -> SortKeyCondition.Operator.GE;
          case NE -> throw invalidOperator("<>");
        };
        checkKeyOperand(c.left());
        checkKeyOperand(c.right());
        boolean leftIsPath = c.left() instanceof Ast.PathOperand;
        boolean rightIsPath = c.right() instanceof Ast.PathOperand;
        if (leftIsPath && rightIsPath) {
          throw DynamoDbException.validation(
              "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
        }
        if (!leftIsPath && !rightIsPath) {
          throw DynamoDbException.validation(
              "Invalid condition in KeyConditionExpression: No key attribute specified");
        }
        if (leftIsPath) {
          parts.add(new KeyPart(keyName(c.left(), parser), operator, List.of(valueOf(c.right()))));
        } else {
          parts.add(new KeyPart(keyName(c.right(), parser), flip(operator), List.of(valueOf(c.left()))));
        }
      }
      case Ast.Between b -> {
        checkKeyOperand(b.value());
        checkKeyOperand(b.low());
        checkKeyOperand(b.high());
        if (!(b.value() instanceof Ast.PathOperand)) {
          throw DynamoDbException.validation(
              "Invalid condition in KeyConditionExpression: No key attribute specified");
        }
        if (b.low() instanceof Ast.PathOperand || b.high() instanceof Ast.PathOperand) {
          throw DynamoDbException.validation(
              "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
        }
        parts.add(new KeyPart(keyName(b.value(), parser), SortKeyCondition.Operator.BETWEEN,
            List.of(valueOf(b.low()), valueOf(b.high()))));
      }
      case Ast.FunctionCondition f -> {
        if (!f.name().equals("begins_with")) {
          throw invalidOperator(f.name());
        }
        Operand path = f.arguments().get(0);
        Operand prefix = f.arguments().get(1);
        checkKeyOperand(path);
        checkKeyOperand(prefix);
        if (!(path instanceof Ast.PathOperand) || prefix instanceof Ast.PathOperand) {
          throw DynamoDbException.validation(
              "Invalid condition in KeyConditionExpression: begins_with requires an attribute name and a value");
        }
        parts.add(new KeyPart(keyName(path, parser), SortKeyCondition.Operator.BEGINS_WITH,
            List.of(valueOf(prefix))));
      }
    }
  }

  private static void checkKeyOperand(Operand operand) {
    if (operand instanceof Ast.FunctionOperand f) {
      throw invalidOperator(f.name());
    }
  }

  private static String keyName(Operand operand, Parser parser) {
    DocumentPath path = ((Ast.PathOperand) operand).path();
    if (path.size() > 1) {
      throw parser.invalid("KeyConditionExpressions cannot have conditions on nested attributes");
    }
    return path.topLevelName();
  }

  private static AttributeValue valueOf(Operand operand) {
    return ((Ast.ValueOperand) operand).value();
  }

  private static SortKeyCondition.Operator flip(SortKeyCondition.Operator operator) {
    return switch (operator) {
      case LT -> SortKeyCondition.Operator.GT;
      case LE -> SortKeyCondition.Operator.GE;
      case GT -> SortKeyCondition.Operator.LT;
      case GE -> SortKeyCondition.Operator.LE;
      case EQ, BETWEEN, BEGINS_WITH -> operator;
    };
  }

  private static DynamoDbException invalidOperator(String operator) {
    return DynamoDbException.validation("Invalid operator used in KeyConditionExpression: " + operator);
  }

  /**
   * Checks the comparisons against the key schema; shared with legacy KeyConditions. The checks
   * run in the order DynamoDB reports them: a missing partition-key attribute, then a condition
   * on a non-key attribute or a partition-key condition that is not an equality, then (for a
   * multi-attribute sort key) a skipped sort-key attribute and a range condition before the last
   * conditioned one, then operand types.
   */
  static KeyCondition assembleKeyCondition(List<KeyPart> parts, KeySchemaInfo keys, Parser parser) {
    Map<String, KeyPart> byName = new HashMap<>();
    boolean unsupported = false;
    for (KeyPart part : parts) {
      boolean isKey = indexOf(keys.partitionKey(), part.attributeName()) >= 0
          || indexOf(keys.sortKey(), part.attributeName()) >= 0;
      if (!isKey) {
        unsupported = true;
      } else if (byName.put(part.attributeName(), part) != null) {
        throw oneConditionPerKey(parser);
      }
    }
    List<KeyCondition.KeyEquality> partition = new ArrayList<>();
    for (KeySchemaInfo.KeyAttribute attribute : keys.partitionKey()) {
      if (!byName.containsKey(attribute.name())) {
        throw DynamoDbException.validation("Query condition missed key schema element: " + attribute.name());
      }
    }
    for (KeySchemaInfo.KeyAttribute attribute : keys.partitionKey()) {
      if (byName.get(attribute.name()).operator() != SortKeyCondition.Operator.EQ) {
        unsupported = true;
      }
    }
    if (unsupported) {
      throw DynamoDbException.validation("Query key condition not supported");
    }
    // Sort-key attributes are conditioned left to right: a prefix, no gaps.
    int conditioned = 0;
    for (int i = 0; i < keys.sortKey().size(); i++) {
      if (byName.containsKey(keys.sortKey().get(i).name())) {
        if (conditioned < i) {
          throw DynamoDbException.validation(
              "Query condition missed key schema element: " + keys.sortKey().get(conditioned).name());
        }
        conditioned = i + 1;
      }
    }
    for (int i = 0; i + 1 < conditioned; i++) {
      if (byName.get(keys.sortKey().get(i).name()).operator() != SortKeyCondition.Operator.EQ) {
        throw DynamoDbException.validation("Query key condition not supported");
      }
    }
    for (KeySchemaInfo.KeyAttribute attribute : keys.partitionKey()) {
      KeyPart part = byName.get(attribute.name());
      checkKeyType(part, attribute.type());
      partition.add(new KeyCondition.KeyEquality(attribute.name(), part.values().get(0)));
    }
    List<KeyCondition.KeyEquality> sortPrefix = new ArrayList<>();
    Optional<SortKeyCondition> sortCondition = Optional.empty();
    for (int i = 0; i < conditioned; i++) {
      KeySchemaInfo.KeyAttribute attribute = keys.sortKey().get(i);
      KeyPart sort = byName.get(attribute.name());
      checkKeyType(sort, attribute.type());
      if (i + 1 < conditioned) {
        sortPrefix.add(new KeyCondition.KeyEquality(attribute.name(), sort.values().get(0)));
        continue;
      }
      if (sort.operator() == SortKeyCondition.Operator.BEGINS_WITH && attribute.type().equals("N")) {
        throw DynamoDbException.validation("Query key condition not supported");
      }
      sortCondition = Optional.of(new SortKeyCondition(sort.attributeName(), sort.operator(), sort.values()));
    }
    return new KeyCondition(partition, sortPrefix, sortCondition);
  }

  private static int indexOf(List<KeySchemaInfo.KeyAttribute> attributes, String name) {
    for (int i = 0; i < attributes.size(); i++) {
      if (attributes.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static DynamoDbException oneConditionPerKey(Parser parser) {
    String message = "KeyConditionExpressions must only contain one condition per key";
    return parser == null ? DynamoDbException.validation(message) : parser.invalid(message);
  }

  private static void checkKeyType(KeyPart part, String declaredType) {
    for (AttributeValue value : part.values()) {
      if (value == null || !value.typeName().equals(declaredType)) {
        throw DynamoDbException.validation(
            "One or more parameter values were invalid: Condition parameter type does not match schema type");
      }
    }
  }
}
