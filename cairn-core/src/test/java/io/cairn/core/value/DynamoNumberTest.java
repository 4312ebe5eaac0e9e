package io.cairn.core.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import org.junit.jupiter.api.Test;

class DynamoNumberTest {

  @Test
  void rendersCanonicalPlainDecimal() {
    assertThat(DynamoNumber.parse("1.0").toString()).isEqualTo("1");
    assertThat(DynamoNumber.parse("1E+2").toString()).isEqualTo("100");
    assertThat(DynamoNumber.parse("-0.000").toString()).isEqualTo("0");
    assertThat(DynamoNumber.parse("0.00001").toString()).isEqualTo("0.00001");
    assertThat(DynamoNumber.parse("1.0")).isEqualTo(DynamoNumber.parse("1"));
  }

  @Test
  void acceptsTheRangeBoundaries() {
    DynamoNumber largest = DynamoNumber.parse("9.9999999999999999999999999999999999999E+125");
    assertThat(largest.adjustedExponent()).isEqualTo(125);
    assertThat(DynamoNumber.parse("1E-130").adjustedExponent()).isEqualTo(-130);
    assertThat(DynamoNumber.parse("-1E-130").signum()).isEqualTo(-1);
  }

  @Test
  void rejectsOnePastEachBoundary() {
    assertRejected("1E+126", "Number overflow");
    assertRejected("-1E+126", "Number overflow");
    assertRejected("9.9E-131", "Number underflow");
    assertRejected("1" + "2".repeat(38), "38 significant digits");
    assertRejected("1E999999999", "Number overflow");
  }

  @Test
  void thirtyEightDigitsAreExact() {
    String digits = "1234567890123456789012345678901234567.8";
    assertThat(DynamoNumber.parse(digits).toString()).isEqualTo(digits);
    // Trailing zeros are not significant digits.
    assertThat(DynamoNumber.parse("1" + "0".repeat(100)).precision()).isEqualTo(1);
  }

  @Test
  void rejectsText() {
    for (String bad : new String[] {"", "abc", "1..2", " 1", "NaN", "Infinity", "0x10", "."}) {
      assertRejected(bad, "cannot be converted into a number");
    }
  }

  private static void assertRejected(String text, String messagePart) {
    assertThatThrownBy(() -> DynamoNumber.parse(text))
        .as("number %s", text)
        .isInstanceOf(DynamoDbException.class)
        .hasMessageContaining(messagePart)
        .extracting(e -> ((DynamoDbException) e).type())
        .isEqualTo(ErrorType.VALIDATION);
  }
}
