package io.cairn.expressions;

import static io.cairn.expressions.Fixtures.assertValidation;
import static io.cairn.expressions.Fixtures.item;
import static io.cairn.expressions.Fixtures.n;
import static io.cairn.expressions.Fixtures.s;
import static io.cairn.expressions.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.KeySchemaInfo.KeyAttribute;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Key conditions on DynamoDB's multi-attribute GSI keys: every partition-key attribute with an
 * equality, sort-key attributes conditioned left to right with equalities, and at most one range
 * condition, on the last one conditioned.
 */
class MultiAttributeKeyConditionTest {
  /** Partition key (tournament S, area S), sort key (round S, bracket S, score N). */
  private static final KeySchemaInfo KEYS = new KeySchemaInfo(
      List.of(new KeyAttribute("tournament", "S"), new KeyAttribute("area", "S")),
      List.of(new KeyAttribute("round", "S"), new KeyAttribute("bracket", "S"), new KeyAttribute("score", "N")));

  private static final Object[] VALUES = {
      ":t", s("WINTER"), ":r", s("NA"), ":round", s("SEMI"), ":b", s("UPPER"), ":lo", n("10"), ":hi", n("20")};

  private static KeyCondition parse(String text) {
    return Expressions.parseKeyCondition(text, values(VALUES), KEYS);
  }

  @Test
  void partition_key_alone_and_in_any_order() {
    KeyCondition condition = parse("area = :r AND tournament = :t");
    assertThat(condition.partitionKeyValues()).containsExactly(s("WINTER"), s("NA"));
    assertThat(condition.sortKeyPrefixValues()).isEmpty();
    assertThat(condition.sortKey()).isEmpty();
  }

  @Test
  void sort_key_prefix_of_equalities_then_a_range_on_the_last() {
    KeyCondition one = parse("tournament = :t AND area = :r AND round = :round");
    assertThat(one.sortKeyPrefixValues()).isEmpty();
    assertThat(one.sortKey().orElseThrow().attributeName()).isEqualTo("round");
    assertThat(one.sortKey().orElseThrow().operator()).isEqualTo(SortKeyCondition.Operator.EQ);

    KeyCondition range = parse("tournament = :t AND area = :r AND begins_with(round, :round)");
    assertThat(range.sortKey().orElseThrow().operator()).isEqualTo(SortKeyCondition.Operator.BEGINS_WITH);

    KeyCondition full = parse(
        "score BETWEEN :lo AND :hi AND bracket = :b AND round = :round AND area = :r AND tournament = :t");
    assertThat(full.sortKeyPrefixValues()).containsExactly(s("SEMI"), s("UPPER"));
    SortKeyCondition last = full.sortKey().orElseThrow();
    assertThat(last.attributeName()).isEqualTo("score");
    assertThat(last.operator()).isEqualTo(SortKeyCondition.Operator.BETWEEN);
    assertThat(last.values()).containsExactly(n("10"), n("20"));
  }

  @Test
  void test_checks_every_attribute() {
    KeyCondition condition = parse(
        "tournament = :t AND area = :r AND round = :round AND bracket = :b AND score > :lo");
    Map<String, AttributeValue> item = item(
        "tournament", s("WINTER"), "area", s("NA"), "round", s("SEMI"), "bracket", s("UPPER"), "score", n("11"));
    assertThat(condition.test(item)).isTrue();
    for (String name : List.of("tournament", "area", "round", "bracket")) {
      Map<String, AttributeValue> other = new LinkedHashMap<>(item);
      other.put(name, s("other"));
      assertThat(condition.test(other)).as(name).isFalse();
    }
    Map<String, AttributeValue> low = new LinkedHashMap<>(item);
    low.put("score", n("10"));
    assertThat(condition.test(low)).isFalse();
  }

  @Test
  void every_partition_key_attribute_is_required_with_an_equality() {
    assertValidation(() -> parse("tournament = :t"), "Query condition missed key schema element: area");
    assertValidation(() -> parse("area = :r AND round = :round"),
        "Query condition missed key schema element: tournament");
    assertValidation(() -> parse("tournament = :t AND area > :r"), "Query key condition not supported");
    assertValidation(() -> parse("tournament = :t AND area = :r AND color = :b"), "Query key condition not supported");
  }

  @Test
  void sort_key_attributes_cannot_be_skipped() {
    assertValidation(() -> parse("tournament = :t AND area = :r AND bracket = :b"),
        "Query condition missed key schema element: round");
    assertValidation(() -> parse("tournament = :t AND area = :r AND round = :round AND score > :lo"),
        "Query condition missed key schema element: bracket");
    assertValidation(() -> parse("tournament = :t AND area = :r AND score > :lo"),
        "Query condition missed key schema element: round");
  }

  @Test
  void only_the_last_conditioned_sort_key_attribute_may_have_a_range() {
    assertValidation(() -> parse("tournament = :t AND area = :r AND round > :round AND bracket = :b"),
        "Query key condition not supported");
    assertValidation(
        () -> parse("tournament = :t AND area = :r AND round = :round AND begins_with(bracket, :b) AND score = :lo"),
        "Query key condition not supported");
  }

  @Test
  void one_condition_per_attribute_and_types_per_attribute() {
    assertValidation(() -> parse("tournament = :t AND area = :r AND round = :round AND round = :round"),
        "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key");
    assertValidation(() -> parse("tournament = :t AND area = :lo"),
        "One or more parameter values were invalid: Condition parameter type does not match schema type");
    assertValidation(() -> parse("tournament = :t AND area = :r AND round = :round AND bracket = :b AND score = :t"),
        "One or more parameter values were invalid: Condition parameter type does not match schema type");
  }

  @Test
  void legacy_key_conditions_take_one_condition_per_key_attribute() {
    Map<String, LegacyCondition> conditions = new LinkedHashMap<>();
    conditions.put("tournament", new LegacyCondition("EQ", List.<AttributeValue>of(s("WINTER"))));
    conditions.put("area", new LegacyCondition("EQ", List.<AttributeValue>of(s("NA"))));
    conditions.put("round", new LegacyCondition("EQ", List.<AttributeValue>of(s("SEMI"))));
    conditions.put("bracket", new LegacyCondition("GT", List.<AttributeValue>of(s("A"))));
    KeyCondition condition = LegacyParameters.keyConditions(conditions, KEYS);
    assertThat(condition.sortKeyPrefixValues()).containsExactly(s("SEMI"));
    assertThat(condition.sortKey().orElseThrow().operator()).isEqualTo(SortKeyCondition.Operator.GT);
    conditions.remove("round");
    assertValidation(() -> LegacyParameters.keyConditions(conditions, KEYS),
        "Query condition missed key schema element: round");
  }

  @Test
  void schema_limits() {
    List<KeyAttribute> five = List.of(new KeyAttribute("a", "S"), new KeyAttribute("b", "S"),
        new KeyAttribute("c", "S"), new KeyAttribute("d", "S"), new KeyAttribute("e", "S"));
    assertThatThrownBy(() -> new KeySchemaInfo(five, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeySchemaInfo(List.of(new KeyAttribute("p", "S")), five))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeySchemaInfo(List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThat(KEYS.multiAttribute()).isTrue();
    assertThat(new KeySchemaInfo("pk", "S", "sk", "N").multiAttribute()).isFalse();
  }
}
