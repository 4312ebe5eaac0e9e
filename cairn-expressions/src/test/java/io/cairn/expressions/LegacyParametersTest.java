package io.cairn.expressions;

import static io.cairn.expressions.Fixtures.assertValidation;
import static io.cairn.expressions.Fixtures.item;
import static io.cairn.expressions.Fixtures.list;
import static io.cairn.expressions.Fixtures.n;
import static io.cairn.expressions.Fixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.value.AttributeValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LegacyParametersTest {
  private final Map<String, AttributeValue> item = item(
      "a", s("apple"), "n", n("5"), "tags", AttributeValue.ss("x", "y"), "l", list(s("q")));

  private static LegacyCondition op(String operator, AttributeValue... values) {
    return new LegacyCondition(operator, List.of(values));
  }

  private boolean filter(String name, LegacyCondition condition) {
    return LegacyParameters.scanFilter(Map.of(name, condition), null).test(item);
  }

  @Test
  void every_comparison_operator() {
    assertThat(filter("a", op("EQ", s("apple")))).isTrue();
    assertThat(filter("a", op("NE", s("apple")))).isFalse();
    assertThat(filter("absent", op("NE", s("apple")))).isTrue();
    assertThat(filter("n", op("LT", n("6")))).isTrue();
    assertThat(filter("n", op("LE", n("5")))).isTrue();
    assertThat(filter("n", op("GT", n("5")))).isFalse();
    assertThat(filter("n", op("GE", n("5")))).isTrue();
    assertThat(filter("n", op("NOT_NULL"))).isTrue();
    assertThat(filter("n", op("NULL"))).isFalse();
    assertThat(filter("a", op("CONTAINS", s("ppl")))).isTrue();
    assertThat(filter("tags", op("CONTAINS", s("x")))).isTrue();
    assertThat(filter("tags", op("NOT_CONTAINS", s("x")))).isFalse();
    assertThat(filter("a", op("BEGINS_WITH", s("app")))).isTrue();
    assertThat(filter("n", op("IN", n("1"), n("5")))).isTrue();
    assertThat(filter("n", op("BETWEEN", n("1"), n("5")))).isTrue();
    assertThat(filter("n", op("BETWEEN", n("6"), n("7")))).isFalse();
  }

  @Test
  void operand_count_and_type_rules() {
    assertValidation(() -> filter("a", op("EQ")),
        "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator");
    assertValidation(() -> filter("a", op("NULL", s("x"))),
        "One or more parameter values were invalid: Invalid number of argument(s) for the NULL ComparisonOperator");
    assertValidation(() -> filter("a", op("BETWEEN", n("1"))),
        "One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator");
    assertValidation(() -> filter("a", op("LT", AttributeValue.ss("x"))),
        "One or more parameter values were invalid: ComparisonOperator LT is not valid for SS AttributeValue type");
    assertValidation(() -> filter("a", op("BEGINS_WITH", n("1"))),
        "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type");
    assertValidation(() -> filter("a", op("BETWEEN", n("1"), s("2"))),
        "One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type");
  }

  @Test
  void expected_with_exists_and_conditional_operator() {
    Map<String, ExpectedAttribute> expected = new LinkedHashMap<>();
    expected.put("a", new ExpectedAttribute(s("apple"), null, null, null));
    expected.put("absent", new ExpectedAttribute(null, false, null, null));
    assertThat(LegacyParameters.expected(expected, null).test(item)).isTrue();
    expected.put("n", new ExpectedAttribute(null, null, "GT", List.of(n("100"))));
    assertThat(LegacyParameters.expected(expected, "AND").test(item)).isFalse();
    assertThat(LegacyParameters.expected(expected, "OR").test(item)).isTrue();
    assertThat(LegacyParameters.expected(Map.of(), null)).isNull();
  }

  @Test
  void expected_errors() {
    assertValidation(() -> LegacyParameters.expected(Map.of("a", new ExpectedAttribute(null, true, null, null)), null),
        "One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: a");
    assertValidation(() -> LegacyParameters.expected(Map.of("a", new ExpectedAttribute(null, null, null, null)), null),
        "One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: a");
    assertValidation(() -> LegacyParameters.expected(Map.of("a", new ExpectedAttribute(s("x"), false, null, null)), null),
        "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: a");
    assertValidation(() -> LegacyParameters.expected(Map.of("a", new ExpectedAttribute(null, true, "EQ", null)), null),
        "One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: a");
    assertValidation(() -> LegacyParameters.expected(Map.of("a", new ExpectedAttribute(null, null, null, List.of(s("x")))), null),
        "One or more parameter values were invalid: AttributeValueList can only be used with a ComparisonOperator for Attribute: a");
  }

  @Test
  void attribute_updates() {
    Map<String, AttributeUpdate> updates = new LinkedHashMap<>();
    updates.put("a", new AttributeUpdate(s("pear"), null));
    updates.put("n", new AttributeUpdate(n("2"), "ADD"));
    updates.put("tags", new AttributeUpdate(AttributeValue.ss("x"), "DELETE"));
    updates.put("l", new AttributeUpdate(list(s("r")), "ADD"));
    updates.put("gone", new AttributeUpdate(null, "DELETE"));
    UpdateExpression update = LegacyParameters.attributeUpdates(updates);
    Map<String, AttributeValue> out = update.apply(item);
    assertThat(out).isEqualTo(item("a", s("pear"), "n", n("7"), "tags", AttributeValue.ss("y"), "l", list(s("q"), s("r"))));
    assertThat(update.topLevelAttributeNames()).containsExactly("a", "n", "tags", "l", "gone");
  }

  @Test
  void attribute_update_errors() {
    assertValidation(() -> LegacyParameters.attributeUpdates(Map.of("a", new AttributeUpdate(null, "PUT"))),
        "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified");
    assertValidation(() -> LegacyParameters.attributeUpdates(Map.of("a", new AttributeUpdate(s("x"), "ADD"))),
        "One or more parameter values were invalid: ADD action is not supported for the type S");
    assertValidation(() -> LegacyParameters.attributeUpdates(Map.of("a", new AttributeUpdate(n("1"), "DELETE"))),
        "One or more parameter values were invalid: DELETE action with value is not supported for the type N");
    assertValidation(() -> LegacyParameters.attributeUpdates(Map.of("a", new AttributeUpdate(n("1"), "ADD"))).apply(item),
        "Type mismatch for attribute to update");
  }

  @Test
  void attributes_to_get() {
    assertThat(LegacyParameters.attributesToGet(List.of("a", "n")).project(item)).isEqualTo(item("a", s("apple"), "n", n("5")));
    assertValidation(() -> LegacyParameters.attributesToGet(List.of("a", "a")),
        "One or more parameter values were invalid: Duplicate value in attribute name: a");
  }
}
