package io.cairn.storage;

import io.cairn.core.Limits;
import io.cairn.core.value.AttributeValue;
import io.cairn.core.value.Bytes;
import io.cairn.core.value.DynamoNumber;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** jqwik generators for key values and items, biased towards ties, shared prefixes and edges. */
final class Generators {
  private Generators() {}

  /** Numbers over the whole range and precision, mixed with small integers so ties happen. */
  static Arbitrary<DynamoNumber> numbers() {
    Arbitrary<DynamoNumber> wide =
        Combinators.combine(
                Arbitraries.of(-1, 1),
                Arbitraries.integers().between(1, DynamoNumber.PRECISION_DIGITS_MAX),
                Arbitraries.integers().between(DynamoNumber.EXPONENT_MIN, DynamoNumber.EXPONENT_MAX),
                Arbitraries.longs())
            .as(Generators::number);
    Arbitrary<DynamoNumber> small =
        Arbitraries.integers().between(-1000, 1000).map(i -> DynamoNumber.of(i));
    Arbitrary<DynamoNumber> edges =
        Arbitraries.of(
                "0",
                "1E-130",
                "-1E-130",
                "9.9999999999999999999999999999999999999E+125",
                "-9.9999999999999999999999999999999999999E+125",
                "1",
                "-1",
                "10",
                "1.1",
                "1.01",
                "0.1",
                "-0.1",
                "99",
                "100",
                "12345678901234567890123456789012345678")
            .map(DynamoNumber::parse);
    return Arbitraries.frequencyOf(
        Tuple.of(6, wide), Tuple.of(3, small), Tuple.of(1, edges));
  }

  private static DynamoNumber number(int sign, int digitCount, int exponent, long seed) {
    java.util.Random random = new java.util.Random(seed);
    StringBuilder digits = new StringBuilder(digitCount);
    for (int i = 0; i < digitCount; i++) {
      int digit = random.nextInt(10);
      if ((i == 0 || i == digitCount - 1) && digit == 0) {
        digit = 1 + random.nextInt(9);
      }
      digits.append((char) ('0' + digit));
    }
    BigInteger unscaled = new BigInteger(digits.toString());
    if (sign < 0) {
      unscaled = unscaled.negate();
    }
    return DynamoNumber.of(new BigDecimal(unscaled, digitCount - 1 - exponent));
  }

  /** Valid strings: code points from every UTF-8 length, U+0000 included, no lone surrogates. */
  static Arbitrary<String> strings() {
    Arbitrary<Integer> codePoint =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.of(0, 1, 0x61, 0x62, 0x7F, 0x80, 0xFFFF, 0x10000)),
            Tuple.of(3, Arbitraries.integers().between(0, 0x7F)),
            Tuple.of(1, Arbitraries.integers().between(0x80, 0x7FF)),
            Tuple.of(
                1,
                Arbitraries.integers()
                    .between(0x800, 0xFFFF)
                    .filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)),
            Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)));
    return codePoint
        .list()
        .ofMaxSize(12)
        .map(
            points -> {
              StringBuilder text = new StringBuilder();
              points.forEach(text::appendCodePoint);
              return text.toString();
            });
  }

  static Arbitrary<Bytes> bytes() {
    Arbitrary<Byte> b =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.of((byte) 0, (byte) 1, (byte) 0xFF, (byte) 0x80)),
            Tuple.of(2, Arbitraries.bytes()));
    return b.list().ofMaxSize(12).map(list -> {
      byte[] array = new byte[list.size()];
      for (int i = 0; i < array.length; i++) {
        array[i] = list.get(i);
      }
      return Bytes.wrap(array);
    });
  }

  static Arbitrary<AttributeValue> keyValues() {
    return Arbitraries.oneOf(
        numbers().map(AttributeValue.N::new),
        strings().filter(s -> !s.isEmpty()).map(AttributeValue.S::new),
        bytes().filter(b -> b.length() > 0).map(AttributeValue.B::new));
  }

  /** Items with values nested up to {@code Limits.NESTING_DEPTH_MAX} containers deep. */
  static Arbitrary<java.util.Map<String, AttributeValue>> items() {
    return Arbitraries.integers()
        .between(0, Limits.NESTING_DEPTH_MAX)
        .flatMap(depth -> attributeMap(depth, 6));
  }

  /** Items without nested containers. */
  static Arbitrary<java.util.Map<String, AttributeValue>> flatItems() {
    return attributeMap(0, 6);
  }

  private static Arbitrary<java.util.Map<String, AttributeValue>> attributeMap(
      int depthLeft, int sizeMax) {
    return Arbitraries.maps(strings(), value(depthLeft)).ofMaxSize(sizeMax);
  }

  private static Arbitrary<AttributeValue> value(int depthLeft) {
    List<Arbitrary<? extends AttributeValue>> choices = new ArrayList<>();
    choices.add(strings().map(AttributeValue.S::new));
    choices.add(numbers().map(AttributeValue.N::new));
    choices.add(bytes().map(AttributeValue.B::new));
    choices.add(Arbitraries.of(AttributeValue.Bool.TRUE, AttributeValue.Bool.FALSE));
    choices.add(Arbitraries.just(AttributeValue.Null.INSTANCE));
    choices.add(
        strings().set().ofMinSize(1).ofMaxSize(4).map(s -> new AttributeValue.SS(new ArrayList<>(s))));
    choices.add(
        numbers().set().ofMinSize(1).ofMaxSize(4).map(s -> new AttributeValue.NS(new ArrayList<>(s))));
    choices.add(
        bytes()
            .set()
            .ofMinSize(1)
            .ofMaxSize(4)
            .map(s -> new AttributeValue.BS(new ArrayList<>(new LinkedHashSet<>(s)))));
    if (depthLeft > 0) {
      // One deep chain per level keeps items small while still reaching the full depth.
      choices.add(Arbitraries.lazy(() -> attributeMap(depthLeft - 1, 2)).map(AttributeValue.M::new));
      choices.add(
          Arbitraries.lazy(() -> value(depthLeft - 1)).list().ofMaxSize(2).map(AttributeValue.L::new));
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Arbitrary<AttributeValue> result = (Arbitrary) Arbitraries.oneOf((List) choices);
    return result;
  }
}
