package io.cairn.core.value;

import io.cairn.core.error.DynamoDbException;
import java.math.BigDecimal;

/**
 * A DynamoDB number: exact decimal, at most 38 significant digits, magnitude zero or between
 * 1E-130 and 9.9999999999999999999999999999999999999E+125.
 *
 * <p>Held in canonical form (trailing zeros stripped), so two numbers with the same value have the
 * same representation, hash and key encoding. Rendered as DynamoDB renders numbers: plain decimal
 * notation without exponent or trailing zeros.
 */
public final class DynamoNumber implements Comparable<DynamoNumber> {
  public static final int PRECISION_DIGITS_MAX = 38;
  /** The largest allowed adjusted exponent: 9.99…E+125. */
  public static final int EXPONENT_MAX = 125;
  /** The smallest allowed adjusted exponent: 1E-130. */
  public static final int EXPONENT_MIN = -130;
  /** Longer text than this is refused before parsing, so a hostile number costs bounded work. */
  public static final int TEXT_CHARS_MAX = 1024;

  public static final DynamoNumber ZERO = new DynamoNumber(BigDecimal.ZERO);

  private final BigDecimal value;

  private DynamoNumber(BigDecimal canonical) {
    this.value = canonical;
  }

  /** Parses and validates a number as it arrives in a request, with DynamoDB's error messages. */
  public static DynamoNumber parse(String text) {
    BigDecimal parsed = parseDecimal(text);
    return of(parsed);
  }

  public static DynamoNumber of(long value) {
    return of(BigDecimal.valueOf(value));
  }

  /** Validates a computed value (for example the result of SET a = a + :n or ADD). */
  public static DynamoNumber of(BigDecimal value) {
    if (value.signum() == 0) {
      return ZERO;
    }
    BigDecimal canonical = value.stripTrailingZeros();
    if (canonical.precision() > PRECISION_DIGITS_MAX) {
      throw DynamoDbException.validation(
          "Attempting to store more than 38 significant digits in a Number");
    }
    int adjustedExponent = canonical.precision() - canonical.scale() - 1;
    if (adjustedExponent > EXPONENT_MAX) {
      throw DynamoDbException.validation(
          "Number overflow. Attempting to store a number with magnitude larger than supported range");
    }
    if (adjustedExponent < EXPONENT_MIN) {
      throw DynamoDbException.validation(
          "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    }
    return new DynamoNumber(canonical);
  }

  private static BigDecimal parseDecimal(String text) {
    if (text.isEmpty() || text.length() > TEXT_CHARS_MAX) {
      throw notANumber();
    }
    // BigDecimal accepts a few spellings DynamoDB does not (none of them are common); it rejects
    // whitespace, NaN and Infinity, which is what DynamoDB does too.
    char last = text.charAt(text.length() - 1);
    if (last == '.' && text.length() == 1) {
      throw notANumber();
    }
    try {
      BigDecimal parsed = new BigDecimal(text);
      // A huge exponent with few digits ("1E999999999") would be accepted by BigDecimal; the range
      // check in of() rejects it without ever expanding it.
      return parsed;
    } catch (NumberFormatException | ArithmeticException e) {
      throw notANumber();
    }
  }

  private static DynamoDbException notANumber() {
    return DynamoDbException.validation("A value provided cannot be converted into a number");
  }

  public BigDecimal toBigDecimal() {
    return value;
  }

  public int signum() {
    return value.signum();
  }

  /** Significant digits of the canonical form; zero has one. */
  public int precision() {
    return value.precision();
  }

  /** The power of ten of the most significant digit (0 for zero). */
  public int adjustedExponent() {
    return value.signum() == 0 ? 0 : value.precision() - value.scale() - 1;
  }

  public DynamoNumber add(DynamoNumber other) {
    return of(value.add(other.value));
  }

  public DynamoNumber subtract(DynamoNumber other) {
    return of(value.subtract(other.value));
  }

  /** DynamoDB's rendering: plain notation, no exponent, no trailing zeros. */
  @Override
  public String toString() {
    return value.toPlainString();
  }

  @Override
  public int compareTo(DynamoNumber other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DynamoNumber other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
