package io.cairn.expressions;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.Ast.Condition;
import io.cairn.expressions.Ast.Operand;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Translates DynamoDB's legacy (pre-expression) parameters into the same trees expressions parse
 * into, so there is one evaluator. Converters return null when the parameter is absent or empty.
 */
public final class LegacyParameters {
  private LegacyParameters() {}

  private static final String INVALID = "One or more parameter values were invalid: ";

  /** Expected with ConditionalOperator ("AND", "OR" or null for AND). */
  public static ConditionExpression expected(Map<String, ExpectedAttribute> expected, String conditionalOperator) {
    if (expected == null || expected.isEmpty()) {
      return null;
    }
    List<Condition> conditions = new ArrayList<>();
    for (Map.Entry<String, ExpectedAttribute> entry : expected.entrySet()) {
      conditions.add(expectedCondition(entry.getKey(), entry.getValue()));
    }
    return new ConditionExpression(combine(conditions, conditionalOperator));
  }

  private static Condition expectedCondition(String name, ExpectedAttribute expected) {
    if (expected.comparisonOperator() != null) {
      if (expected.exists() != null) {
        throw invalid("Exists and ComparisonOperator cannot be used together for Attribute: " + name);
      }
      if (expected.attributeValueList() != null && expected.value() != null) {
        throw invalid("Value and AttributeValueList cannot be used together for Attribute: " + name);
      }
      List<AttributeValue> operands = expected.attributeValueList() != null
          ? expected.attributeValueList()
          : expected.value() != null ? List.of(expected.value()) : List.of();
      return comparison(name, expected.comparisonOperator(), operands);
    }
    if (expected.attributeValueList() != null) {
      throw invalid("AttributeValueList can only be used with a ComparisonOperator for Attribute: " + name);
    }
    boolean exists = expected.exists() == null || expected.exists();
    if (exists && expected.value() == null) {
      throw invalid("Value must be provided when Exists is "
          + (expected.exists() == null ? "null" : "true") + " for Attribute: " + name);
    }
    if (!exists && expected.value() != null) {
      throw invalid("Value cannot be used when Exists is false for Attribute: " + name);
    }
    Operand path = path(name);
    return exists
        ? new Ast.Comparison(Ast.Comparator.EQ, path, value(expected.value()))
        : new Ast.FunctionCondition("attribute_not_exists", List.of(path));
  }

  /** QueryFilter with ConditionalOperator. */
  public static ConditionExpression queryFilter(Map<String, LegacyCondition> filter, String conditionalOperator) {
    return filter(filter, conditionalOperator);
  }

  /** ScanFilter with ConditionalOperator. */
  public static ConditionExpression scanFilter(Map<String, LegacyCondition> filter, String conditionalOperator) {
    return filter(filter, conditionalOperator);
  }

  private static ConditionExpression filter(Map<String, LegacyCondition> filter, String conditionalOperator) {
    if (filter == null || filter.isEmpty()) {
      return null;
    }
    List<Condition> conditions = new ArrayList<>();
    for (Map.Entry<String, LegacyCondition> entry : filter.entrySet()) {
      LegacyCondition condition = entry.getValue();
      List<AttributeValue> operands =
          condition.attributeValueList() == null ? List.of() : condition.attributeValueList();
      conditions.add(comparison(entry.getKey(), condition.comparisonOperator(), operands));
    }
    return new ConditionExpression(combine(conditions, conditionalOperator));
  }

  private static Condition combine(List<Condition> conditions, String conditionalOperator) {
    boolean or = "OR".equals(conditionalOperator);
    if (conditionalOperator != null && !or && !"AND".equals(conditionalOperator)) {
      throw DynamoDbException.validation("1 validation error detected: Value '" + conditionalOperator
          + "' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]");
    }
    Condition result = conditions.get(0);
    for (int i = 1; i < conditions.size(); i++) {
      result = or ? new Ast.Or(result, conditions.get(i)) : new Ast.And(result, conditions.get(i));
    }
    return result;
  }

  /** One ComparisonOperator with its AttributeValueList, checked as DynamoDB checks it. */
  static Condition comparison(String name, String operator, List<AttributeValue> operands) {
    int count = operands.size();
    Operand path = path(name);
    return switch (operator == null ? "" : operator) {
      case "EQ", "NE" -> {
        requireCount(operator, count == 1);
        yield new Ast.Comparison(operator.equals("EQ") ? Ast.Comparator.EQ : Ast.Comparator.NE,
            path, value(operands.get(0)));
      }
      case "LE", "LT", "GE", "GT" -> {
        requireCount(operator, count == 1);
        requireScalar(operator, operands);
        Ast.Comparator comparator = switch (operator) {
          case "LE" -> Ast.Comparator.LE;
          case "LT" -> Ast.Comparator.LT;
          case "GE" -> Ast.Comparator.GE;
          default -> Ast.Comparator.GT;
        };
        yield new Ast.Comparison(comparator, path, value(operands.get(0)));
      }
      case "NOT_NULL", "NULL" -> {
        requireCount(operator, count == 0);
        yield new Ast.FunctionCondition(
            operator.equals("NULL") ? "attribute_not_exists" : "attribute_exists", List.of(path));
      }
      case "CONTAINS", "NOT_CONTAINS" -> {
        requireCount(operator, count == 1);
        requireScalar(operator, operands);
        Condition contains = new Ast.FunctionCondition("contains", List.of(path, value(operands.get(0))));
        yield operator.equals("CONTAINS")
            ? contains
            : new Ast.And(new Ast.FunctionCondition("attribute_exists", List.of(path)), new Ast.Not(contains));
      }
      case "BEGINS_WITH" -> {
        requireCount(operator, count == 1);
        AttributeValue prefix = operands.get(0);
        if (!(prefix instanceof AttributeValue.S || prefix instanceof AttributeValue.B)) {
          throw notValidFor(operator, prefix);
        }
        yield new Ast.FunctionCondition("begins_with", List.of(path, value(prefix)));
      }
      case "IN" -> {
        requireCount(operator, count >= 1);
        requireScalar(operator, operands);
        List<Operand> candidates = new ArrayList<>();
        for (AttributeValue operand : operands) {
          candidates.add(value(operand));
        }
        yield new Ast.In(path, candidates);
      }
      case "BETWEEN" -> {
        requireCount(operator, count == 2);
        requireScalar(operator, operands);
        AttributeValue low = operands.get(0);
        AttributeValue high = operands.get(1);
        if (!low.typeName().equals(high.typeName())) {
          throw invalid("AttributeValues inside AttributeValueList must be of same type");
        }
        if (Values.compare(low, high) > 0) {
          throw invalid("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
        }
        yield new Ast.Between(path, value(low), value(high));
      }
      default -> throw DynamoDbException.validation("1 validation error detected: Value '" + operator
          + "' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: "
          + "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
    };
  }

  private static void requireCount(String operator, boolean ok) {
    if (!ok) {
      throw invalid("Invalid number of argument(s) for the " + operator + " ComparisonOperator");
    }
  }

  private static void requireScalar(String operator, List<AttributeValue> operands) {
    for (AttributeValue operand : operands) {
      if (!(operand instanceof AttributeValue.S || operand instanceof AttributeValue.N
          || operand instanceof AttributeValue.B)) {
        throw notValidFor(operator, operand);
      }
    }
  }

  private static DynamoDbException notValidFor(String operator, AttributeValue operand) {
    return invalid("ComparisonOperator " + operator + " is not valid for " + operand.typeName()
        + " AttributeValue type");
  }

  /** Legacy KeyConditions of a Query. */
  public static KeyCondition keyConditions(Map<String, LegacyCondition> conditions, KeySchemaInfo keys) {
    if (conditions == null || conditions.isEmpty()) {
      throw DynamoDbException.validation(
          "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
    }
    // A multi-attribute GSI key takes one condition per key attribute (up to 4 + 4).
    if (conditions.size() > Math.max(2, keys.attributeCount())) {
      throw DynamoDbException.validation("Conditions can be of length 1 or 2 only");
    }
    List<Expressions.KeyPart> parts = new ArrayList<>();
    for (Map.Entry<String, LegacyCondition> entry : conditions.entrySet()) {
      LegacyCondition condition = entry.getValue();
      List<AttributeValue> operands =
          condition.attributeValueList() == null ? List.of() : condition.attributeValueList();
      String operator = condition.comparisonOperator() == null ? "" : condition.comparisonOperator();
      SortKeyCondition.Operator keyOperator = switch (operator) {
        case "EQ" -> SortKeyCondition.Operator.EQ;
        case "LT" -> SortKeyCondition.Operator.LT;
        case "LE" -> SortKeyCondition.Operator.LE;
        case "GT" -> SortKeyCondition.Operator.GT;
        case "GE" -> SortKeyCondition.Operator.GE;
        case "BETWEEN" -> SortKeyCondition.Operator.BETWEEN;
        case "BEGINS_WITH" -> SortKeyCondition.Operator.BEGINS_WITH;
        default -> throw DynamoDbException.validation(
            "Attempted conditional constraint is not an indexable operation");
      };
      // Reuses the filter checks for operand counts, types and BETWEEN bounds.
      comparison(entry.getKey(), operator, operands);
      parts.add(new Expressions.KeyPart(entry.getKey(), keyOperator, operands));
    }
    return Expressions.assembleKeyCondition(parts, keys, null);
  }

  /** Legacy AttributeUpdates of UpdateItem. */
  public static UpdateExpression attributeUpdates(Map<String, AttributeUpdate> updates) {
    if (updates == null || updates.isEmpty()) {
      return null;
    }
    List<UpdateExpression.Action> actions = new ArrayList<>();
    for (Map.Entry<String, AttributeUpdate> entry : updates.entrySet()) {
      DocumentPath path = DocumentPath.of(entry.getKey());
      AttributeUpdate update = entry.getValue();
      String action = update.action() == null ? "PUT" : update.action();
      AttributeValue value = update.value();
      switch (action) {
        case "PUT" -> {
          requireValue(value);
          actions.add(new UpdateExpression.Set(path, value(value)));
        }
        case "DELETE" -> {
          if (value == null) {
            actions.add(new UpdateExpression.Remove(path));
          } else if (Values.isSet(value)) {
            actions.add(new UpdateExpression.Delete(path, value, true));
          } else {
            throw invalid("DELETE action with value is not supported for the type " + value.typeName());
          }
        }
        case "ADD" -> {
          requireValue(value);
          if (value instanceof AttributeValue.N || value instanceof AttributeValue.L || Values.isSet(value)) {
            actions.add(new UpdateExpression.Add(path, value, true));
          } else {
            throw invalid("ADD action is not supported for the type " + value.typeName());
          }
        }
        default -> throw DynamoDbException.validation("1 validation error detected: Value '" + action
            + "' at 'attributeUpdates." + entry.getKey()
            + ".member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]");
      }
    }
    return new UpdateExpression(actions);
  }

  private static void requireValue(AttributeValue value) {
    if (value == null) {
      throw invalid("Only DELETE action is allowed when no attribute value is specified");
    }
  }

  /** Legacy AttributesToGet. */
  public static ProjectionExpression attributesToGet(List<String> names) {
    if (names == null || names.isEmpty()) {
      return null;
    }
    List<DocumentPath> paths = new ArrayList<>();
    java.util.Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw invalid("Duplicate value in attribute name: " + name);
      }
      paths.add(DocumentPath.of(name));
    }
    return ProjectionExpression.of(paths);
  }

  private static Operand path(String name) {
    return new Ast.PathOperand(DocumentPath.of(name));
  }

  private static Operand value(AttributeValue value) {
    return new Ast.ValueOperand(null, value);
  }

  private static DynamoDbException invalid(String message) {
    return DynamoDbException.validation(INVALID + message);
  }
}
