package io.cairn.expressions;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.cairn.core.value.AttributeValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Small builders shared by the tests. */
final class Fixtures {
  private Fixtures() {}

  static Map<String, AttributeValue> item(Object... keysAndValues) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      item.put((String) keysAndValues[i], (AttributeValue) keysAndValues[i + 1]);
    }
    return item;
  }

  static AttributeValue.M map(Object... keysAndValues) {
    return new AttributeValue.M(item(keysAndValues));
  }

  static AttributeValue.L list(AttributeValue... values) {
    return new AttributeValue.L(List.of(values));
  }

  static AttributeValue.S s(String value) {
    return AttributeValue.s(value);
  }

  static AttributeValue.N n(String value) {
    return AttributeValue.n(value);
  }

  static AttributeValue.B b(int... bytes) {
    byte[] raw = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      raw[i] = (byte) bytes[i];
    }
    return AttributeValue.b(raw);
  }

  static ExpressionAttributes values(Object... keysAndValues) {
    return keysAndValues.length == 0
        ? ExpressionAttributes.none()
        : new ExpressionAttributes(null, item(keysAndValues));
  }

  static ExpressionAttributes namesAndValues(Map<String, String> names, Object... keysAndValues) {
    return new ExpressionAttributes(names, keysAndValues.length == 0 ? null : item(keysAndValues));
  }

  static boolean test(String condition, Map<String, AttributeValue> item, Object... values) {
    ExpressionAttributes attributes = values.length == 0 ? ExpressionAttributes.none() : values(values);
    return Expressions.parseCondition(condition, attributes, "ConditionExpression").test(item);
  }

  static void assertValidation(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(DynamoDbException.class)
        .hasMessage(message)
        .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((DynamoDbException) e).type())
            .isEqualTo(ErrorType.VALIDATION));
  }
}
