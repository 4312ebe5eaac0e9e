package io.cairn.expressions;

import static io.cairn.expressions.Fixtures.assertValidation;
import static io.cairn.expressions.Fixtures.item;
import static io.cairn.expressions.Fixtures.n;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionAttributesTest {
  @Test
  void empty_maps_are_refused_but_absent_ones_are_fine() {
    assertValidation(() -> new ExpressionAttributes(Map.of(), null), "ExpressionAttributeNames must not be empty");
    assertValidation(() -> new ExpressionAttributes(null, Map.of()), "ExpressionAttributeValues must not be empty");
    ExpressionAttributes.none().checkAllUsed();
  }

  @Test
  void keys_need_their_sigil() {
    assertValidation(() -> new ExpressionAttributes(Map.of("n", "x"), null),
        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"n\"");
    assertValidation(() -> new ExpressionAttributes(null, item("v", n("1"))),
        "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"");
  }

  @Test
  void unused_placeholders_are_reported_after_all_expressions_parse() {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("#b", "b");
    names.put("#a", "a");
    ExpressionAttributes attributes = new ExpressionAttributes(names, item(":v", n("1"), ":w", n("2")));
    Expressions.parseCondition("#a = :v", attributes, "ConditionExpression");
    assertValidation(attributes::checkAllUsed,
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}");
    Expressions.parseProjection("#b", attributes);
    assertValidation(attributes::checkAllUsed,
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}");
    Expressions.parseUpdate("SET x = :w", attributes);
    attributes.checkAllUsed();
  }
}
