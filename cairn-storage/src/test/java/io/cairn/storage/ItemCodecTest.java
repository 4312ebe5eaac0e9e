package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.Invariants;
import io.cairn.core.Limits;
import io.cairn.core.value.AttributeValue;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ItemCodecTest {

  @Property(tries = 500)
  void randomItemsRoundTrip(@ForAll("items") Map<String, AttributeValue> item) {
    assertThat(ItemCodec.decode(ItemCodec.encode(item))).isEqualTo(item);
  }

  @Property(tries = 200)
  void itemsNestedToTheLimitRoundTrip(
      @ForAll("depths") int depth, @ForAll("flatItems") Map<String, AttributeValue> leaf) {
    Map<String, AttributeValue> item = Map.of("deep", nest(depth, leaf), "flat", AttributeValue.n(1));
    assertThat(ItemCodec.decode(ItemCodec.encode(item))).isEqualTo(item);
  }

  @Property(tries = 300)
  void anyFlippedBitOrTruncationFailsLoudly(
      @ForAll("items") Map<String, AttributeValue> item, @ForAll("positions") int position, @ForAll("bits") int bit) {
    byte[] encoded = ItemCodec.encode(item);
    byte[] flipped = encoded.clone();
    int at = position % flipped.length;
    flipped[at] ^= (byte) (1 << bit);
    assertThatThrownBy(() -> ItemCodec.decode(flipped)).isInstanceOf(Invariants.InvariantViolation.class);
    byte[] truncated = Arrays.copyOf(encoded, at);
    assertThatThrownBy(() -> ItemCodec.decode(truncated)).isInstanceOf(Invariants.InvariantViolation.class);
  }

  @Test
  void nestingBeyondTheLimitIsRefused() {
    Map<String, AttributeValue> tooDeep = Map.of("a", nest(Limits.NESTING_DEPTH_MAX + 1, Map.of()));
    assertThatThrownBy(() -> ItemCodec.encode(tooDeep)).isInstanceOf(IllegalArgumentException.class);
    Map<String, AttributeValue> atLimit = Map.of("a", nest(Limits.NESTING_DEPTH_MAX, Map.of()));
    assertThat(ItemCodec.decode(ItemCodec.encode(atLimit))).isEqualTo(atLimit);
  }

  @Test
  void allTypesRoundTripAndAttributeOrderIsKept() {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("z", AttributeValue.s("text \u0000 \uD83D\uDE00"));
    item.put("n", AttributeValue.n("-1.5E-100"));
    item.put("b", AttributeValue.b(new byte[] {0, (byte) 0xFF}));
    item.put("t", AttributeValue.Bool.TRUE);
    item.put("f", AttributeValue.Bool.FALSE);
    item.put("nul", AttributeValue.Null.INSTANCE);
    item.put("m", AttributeValue.m(Map.of("k", AttributeValue.l(List.of(AttributeValue.n(0))))));
    item.put("ss", AttributeValue.ss("a", "b"));
    item.put("ns", AttributeValue.ns("1", "99999999999999999999999999999999999999"));
    item.put("bs", new AttributeValue.BS(List.of(io.cairn.core.value.Bytes.wrap(new byte[] {1}))));
    item.put("long", AttributeValue.s("x".repeat(300)));
    Map<String, AttributeValue> decoded = ItemCodec.decode(ItemCodec.encode(item));
    assertThat(decoded).isEqualTo(item);
    assertThat(decoded.keySet()).containsExactlyElementsOf(item.keySet());
  }

  @Test
  void unknownVersionIsRefused() {
    byte[] encoded = ItemCodec.encode(Map.of("a", AttributeValue.n(1)));
    encoded[0] = 2;
    // The checksum fails first; either way the item is refused loudly.
    assertThatThrownBy(() -> ItemCodec.decode(encoded)).isInstanceOf(Invariants.InvariantViolation.class);
  }

  private static AttributeValue nest(int depth, Map<String, AttributeValue> leaf) {
    AttributeValue value = AttributeValue.m(leaf);
    for (int level = 1; level < depth; level++) {
      value = level % 2 == 0 ? AttributeValue.m(Map.of("k" + level, value)) : AttributeValue.l(List.of(value));
    }
    return value;
  }

  @Provide
  Arbitrary<Map<String, AttributeValue>> items() {
    return Generators.items();
  }

  @Provide
  Arbitrary<Map<String, AttributeValue>> flatItems() {
    return Generators.flatItems();
  }

  @Provide
  Arbitrary<Integer> depths() {
    return Arbitraries.integers().between(1, Limits.NESTING_DEPTH_MAX);
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 1_000_000);
  }

  @Provide
  Arbitrary<Integer> bits() {
    return Arbitraries.integers().between(0, 7);
  }
}
