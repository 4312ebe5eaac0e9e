package io.cairn.expressions;

import static io.cairn.expressions.Fixtures.assertValidation;
import static io.cairn.expressions.Fixtures.item;
import static io.cairn.expressions.Fixtures.n;
import static io.cairn.expressions.Fixtures.s;
import static io.cairn.expressions.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.value.AttributeValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyConditionTest {
  private static final KeySchemaInfo KEYS = new KeySchemaInfo("pk", "S", "sk", "N");
  private static final KeySchemaInfo STRING_SORT = new KeySchemaInfo("pk", "S", "sk", "S");

  private static KeyCondition parse(String text, KeySchemaInfo keys, Object... values) {
    return Expressions.parseKeyCondition(text, values(values), keys);
  }

  @Test
  void partition_key_only() {
    KeyCondition condition = parse("pk = :p", KEYS, ":p", s("a"));
    assertThat(condition.partitionKeyName()).isEqualTo("pk");
    assertThat(condition.partitionKeyValue()).isEqualTo(s("a"));
    assertThat(condition.sortKey()).isEmpty();
  }

  @Test
  void every_sort_key_operator() {
    Object[] v = {":p", s("a"), ":x", n("5"), ":y", n("9")};
    assertThat(parse("pk = :p AND sk = :x", KEYS, v).sortKey().orElseThrow().operator())
        .isEqualTo(SortKeyCondition.Operator.EQ);
    assertThat(parse("pk = :p AND sk < :x", KEYS, v).sortKey().orElseThrow().operator())
        .isEqualTo(SortKeyCondition.Operator.LT);
    assertThat(parse("sk <= :x AND pk = :p", KEYS, v).sortKey().orElseThrow().operator())
        .isEqualTo(SortKeyCondition.Operator.LE);
    assertThat(parse("(pk = :p) AND (sk > :x)", KEYS, v).sortKey().orElseThrow().operator())
        .isEqualTo(SortKeyCondition.Operator.GT);
    // A value on the left flips the operator.
    assertThat(parse("pk = :p AND :x <= sk", KEYS, v).sortKey().orElseThrow().operator())
        .isEqualTo(SortKeyCondition.Operator.GE);
    SortKeyCondition between = parse("pk = :p AND sk BETWEEN :x AND :y", KEYS, v).sortKey().orElseThrow();
    assertThat(between.operator()).isEqualTo(SortKeyCondition.Operator.BETWEEN);
    assertThat(between.values()).containsExactly(n("5"), n("9"));
    assertThat(between.matches(n("7"))).isTrue();
    assertThat(between.matches(n("10"))).isFalse();
    SortKeyCondition prefix = parse("pk = :p AND begins_with(sk, :s)", STRING_SORT, ":p", s("a"), ":s", s("ab"))
        .sortKey().orElseThrow();
    assertThat(prefix.operator()).isEqualTo(SortKeyCondition.Operator.BEGINS_WITH);
    assertThat(prefix.matches(s("abc"))).isTrue();
    assertThat(prefix.matches(s("b"))).isFalse();
  }

  @Test
  void test_on_items() {
    KeyCondition condition = parse("pk = :p AND sk > :x", KEYS, ":p", s("a"), ":x", n("5"));
    assertThat(condition.test(item("pk", s("a"), "sk", n("6")))).isTrue();
    assertThat(condition.test(item("pk", s("a"), "sk", n("5")))).isFalse();
    assertThat(condition.test(item("pk", s("b"), "sk", n("6")))).isFalse();
  }

  @Test
  void errors() {
    assertValidation(() -> parse("sk = :x", KEYS, ":x", n("1")),
        "Query condition missed key schema element: pk");
    assertValidation(() -> parse("pk = :p AND color = :x", KEYS, ":p", s("a"), ":x", n("1")),
        "Query key condition not supported");
    assertValidation(() -> parse("pk > :p", KEYS, ":p", s("a")), "Query key condition not supported");
    assertValidation(() -> parse("pk = :p AND sk > :x AND sk < :x", KEYS, ":p", s("a"), ":x", n("1")),
        "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key");
    assertValidation(() -> parse("pk = :p OR sk = :x", KEYS, ":p", s("a"), ":x", n("1")),
        "Invalid operator used in KeyConditionExpression: OR");
    assertValidation(() -> parse("pk = :p AND NOT sk = :x", KEYS, ":p", s("a"), ":x", n("1")),
        "Invalid operator used in KeyConditionExpression: NOT");
    assertValidation(() -> parse("pk = :p AND sk <> :x", KEYS, ":p", s("a"), ":x", n("1")),
        "Invalid operator used in KeyConditionExpression: <>");
    assertValidation(() -> parse("pk = :p AND attribute_exists(sk)", KEYS, ":p", s("a")),
        "Invalid operator used in KeyConditionExpression: attribute_exists");
    assertValidation(() -> parse("pk = sk", KEYS),
        "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
    assertValidation(() -> parse("pk = :p", KEYS, ":p", n("1")),
        "One or more parameter values were invalid: Condition parameter type does not match schema type");
    assertValidation(() -> parse("pk = :p AND begins_with(sk, :x)", KEYS, ":p", s("a"), ":x", n("1")),
        "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
  }

  @Test
  void legacy_key_conditions() {
    KeyCondition condition = LegacyParameters.keyConditions(Map.of(
        "pk", new LegacyCondition("EQ", List.<AttributeValue>of(s("a"))),
        "sk", new LegacyCondition("BETWEEN", List.<AttributeValue>of(n("1"), n("3")))), KEYS);
    assertThat(condition.partitionKeyValue()).isEqualTo(s("a"));
    assertThat(condition.sortKey().orElseThrow().operator()).isEqualTo(SortKeyCondition.Operator.BETWEEN);
    assertValidation(() -> LegacyParameters.keyConditions(Map.of(
            "pk", new LegacyCondition("NE", List.<AttributeValue>of(s("a")))), KEYS),
        "Attempted conditional constraint is not an indexable operation");
    assertValidation(() -> LegacyParameters.keyConditions(Map.of(
            "sk", new LegacyCondition("EQ", List.<AttributeValue>of(n("1")))), KEYS),
        "Query condition missed key schema element: pk");
  }
}
