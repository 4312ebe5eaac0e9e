package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.Invariants;
import io.cairn.core.value.AttributeValue;
import io.cairn.core.value.Bytes;
import io.cairn.core.value.DynamoNumber;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class KeyCodecTest {
  private static final KeyspaceId TABLE = new KeyspaceId(7);

  // ---- Ordering --------------------------------------------------------------------------

  @Property(tries = 3000)
  void numbersSortNumerically(
      @ForAll("numbers") DynamoNumber a, @ForAll("numbers") DynamoNumber b) {
    assertThat(compare(encode(new AttributeValue.N(a)), encode(new AttributeValue.N(b))))
        .as("%s vs %s", a, b)
        .isEqualTo(Integer.signum(a.compareTo(b)));
  }

  @Property(tries = 2000)
  void stringsSortByUtf8BytesUnsigned(@ForAll("strings") String a, @ForAll("strings") String b) {
    int expected =
        Integer.signum(
            Arrays.compareUnsigned(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
    assertThat(compare(encode(new AttributeValue.S(a)), encode(new AttributeValue.S(b))))
        .isEqualTo(expected);
  }

  @Property(tries = 2000)
  void binariesSortUnsigned(@ForAll("bytes") Bytes a, @ForAll("bytes") Bytes b) {
    assertThat(compare(encode(new AttributeValue.B(a)), encode(new AttributeValue.B(b))))
        .isEqualTo(Integer.signum(a.compareTo(b)));
  }

  @Property(tries = 2000)
  void compositeKeysSortByHashThenPartitionKeyThenSortKey(
      @ForAll("strings") String pk1,
      @ForAll("numbers") DynamoNumber sk1,
      @ForAll("strings") String pk2,
      @ForAll("numbers") DynamoNumber sk2) {
    // Few distinct partition keys, so equal ones are common.
    AttributeValue p1 = new AttributeValue.S("p" + firstCodePoint(pk1));
    AttributeValue p2 = new AttributeValue.S("p" + firstCodePoint(pk2));
    byte[] k1 = KeyCodec.itemKey(TABLE, p1, new AttributeValue.N(sk1));
    byte[] k2 = KeyCodec.itemKey(TABLE, p2, new AttributeValue.N(sk2));
    int expected = Long.compareUnsigned(KeyCodec.hashPartitionKey(p1), KeyCodec.hashPartitionKey(p2));
    if (expected == 0) {
      expected = Arrays.compareUnsigned(encode(p1), encode(p2));
    }
    if (expected == 0) {
      expected = sk1.compareTo(sk2);
    }
    assertThat(compare(k1, k2)).isEqualTo(Integer.signum(expected));
    // Every key of a partition key lies in its range, and no key of another partition key does.
    assertThat(KeyCodec.partitionRange(TABLE, p1).contains(k1)).isTrue();
    assertThat(KeyCodec.partitionRange(TABLE, p1).contains(k2)).isEqualTo(p1.equals(p2));
  }

  @Property(tries = 1000)
  void stringSortKeysWithSharedPrefixesKeepOrderAfterAPartitionKey(
      @ForAll("strings") String pk, @ForAll("strings") String a, @ForAll("strings") String b) {
    AttributeValue partitionKey = new AttributeValue.S("x" + pk);
    byte[] ka = KeyCodec.itemKey(TABLE, partitionKey, new AttributeValue.S(a));
    byte[] kb = KeyCodec.itemKey(TABLE, partitionKey, new AttributeValue.S(b));
    int expected =
        Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    assertThat(compare(ka, kb)).isEqualTo(Integer.signum(expected));
  }

  // ---- Round trips -----------------------------------------------------------------------

  @Property(tries = 2000)
  void valuesRoundTrip(@ForAll("keyValues") AttributeValue value) {
    assertThat(KeyCodec.decodeValue(KeyCodec.encodeValue(value))).isEqualTo(value);
  }

  @Property(tries = 1000)
  void itemKeysRoundTrip(
      @ForAll("keyValues") AttributeValue pk, @ForAll("keyValues") AttributeValue sk) {
    DecodedKey decoded = KeyCodec.decode(KeyCodec.itemKey(TABLE, pk, sk));
    assertThat(decoded.keyspaceId()).isEqualTo(TABLE);
    assertThat(decoded.partitionKey()).isEqualTo(pk);
    assertThat(decoded.sortKey()).contains(sk);
    assertThat(decoded.hash()).isEqualTo(KeyCodec.hashPartitionKey(pk));
    assertThat(KeyCodec.decode(KeyCodec.itemKey(TABLE, pk)).sortKey()).isEqualTo(Optional.empty());
  }

  // ---- Ranges ----------------------------------------------------------------------------

  @Property(tries = 2000)
  void beginsWithRangeHoldsExactlyTheMatchingStrings(
      @ForAll("strings") String prefix, @ForAll("strings") String rest, @ForAll("strings") String other) {
    AttributeValue pk = AttributeValue.s("pk");
    KeyRange range =
        KeyCodec.sortKeyRange(
            TABLE, pk, new SortKeyCondition.BeginsWith(new AttributeValue.S(prefix)));
    for (String candidate : new String[] {prefix + rest, other, rest}) {
      byte[] key = KeyCodec.itemKey(TABLE, pk, new AttributeValue.S(candidate));
      assertThat(range.contains(key)).as("%s begins with %s", candidate, prefix)
          .isEqualTo(candidate.startsWith(prefix));
    }
    // A different partition key with a matching sort key is outside.
    assertThat(range.contains(KeyCodec.itemKey(TABLE, AttributeValue.s("pk2"), new AttributeValue.S(prefix))))
        .isFalse();
  }

  @Property(tries = 2000)
  void beginsWithRangeHoldsExactlyTheMatchingBinaries(
      @ForAll("bytes") Bytes prefix, @ForAll("bytes") Bytes rest, @ForAll("bytes") Bytes other) {
    AttributeValue pk = AttributeValue.n(42);
    KeyRange range =
        KeyCodec.sortKeyRange(TABLE, pk, new SortKeyCondition.BeginsWith(new AttributeValue.B(prefix)));
    Bytes joined = Bytes.wrap(KeyCodec.concat(prefix.unsafeArray(), rest.unsafeArray()));
    for (Bytes candidate : new Bytes[] {joined, other, rest}) {
      byte[] key = KeyCodec.itemKey(TABLE, pk, new AttributeValue.B(candidate));
      assertThat(range.contains(key)).isEqualTo(candidate.startsWith(prefix));
    }
  }

  @Property(tries = 2000)
  void sortKeyConditionsSelectExactlyTheMatchingKeys(
      @ForAll("numbers") DynamoNumber a,
      @ForAll("numbers") DynamoNumber b,
      @ForAll("numbers") DynamoNumber candidate) {
    AttributeValue pk = AttributeValue.s("user#1");
    AttributeValue.N va = new AttributeValue.N(a);
    AttributeValue.N vb = new AttributeValue.N(b);
    byte[] key = KeyCodec.itemKey(TABLE, pk, new AttributeValue.N(candidate));
    int c = candidate.compareTo(a);
    assertThat(in(pk, new SortKeyCondition.Eq(va), key)).isEqualTo(c == 0);
    assertThat(in(pk, new SortKeyCondition.Lt(va), key)).isEqualTo(c < 0);
    assertThat(in(pk, new SortKeyCondition.Le(va), key)).isEqualTo(c <= 0);
    assertThat(in(pk, new SortKeyCondition.Gt(va), key)).isEqualTo(c > 0);
    assertThat(in(pk, new SortKeyCondition.Ge(va), key)).isEqualTo(c >= 0);
    assertThat(in(pk, new SortKeyCondition.Any(), key)).isTrue();
    assertThat(in(pk, new SortKeyCondition.Between(va, vb), key))
        .isEqualTo(c >= 0 && candidate.compareTo(b) <= 0);
    // Nothing of another partition key is ever selected.
    byte[] foreign = KeyCodec.itemKey(TABLE, AttributeValue.s("user#2"), new AttributeValue.N(candidate));
    assertThat(in(pk, new SortKeyCondition.Ge(va), foreign)).isFalse();
    assertThat(in(pk, new SortKeyCondition.Lt(va), foreign)).isFalse();
  }

  private static String firstCodePoint(String text) {
    return text.isEmpty() ? "" : new String(Character.toChars(text.codePointAt(0)));
  }

  private static boolean in(AttributeValue pk, SortKeyCondition condition, byte[] key) {
    return KeyCodec.sortKeyRange(TABLE, pk, condition).contains(key);
  }

  @Property(tries = 500)
  void hashSegmentsPartitionTheKeyspace(
      @ForAll("keyValues") AttributeValue pk, @ForAll("segmentCounts") int segmentCount) {
    byte[] key = KeyCodec.itemKey(TABLE, pk);
    long hash = KeyCodec.hashPartitionKey(pk);
    int holders = 0;
    for (int segment = 0; segment < segmentCount; segment++) {
      HashRange hashRange = HashRange.segment(segment, segmentCount);
      boolean inRange = KeyCodec.hashRange(TABLE, hashRange).contains(key);
      assertThat(inRange).isEqualTo(hashRange.contains(hash));
      holders += inRange ? 1 : 0;
    }
    assertThat(holders).isEqualTo(1);
    assertThat(KeyCodec.keyspaceRange(TABLE).contains(key)).isTrue();
    assertThat(KeyCodec.keyspaceRange(new KeyspaceId(8)).contains(key)).isFalse();
    assertThat(KeyCodec.keyspaceRange(new KeyspaceId(6)).contains(key)).isFalse();
  }

  @Test
  void segmentsCoverTheWholeHashSpaceWithoutGaps() {
    for (int count : new int[] {1, 2, 3, 7, 1000}) {
      assertThat(HashRange.segment(0, count).lowInclusive()).isZero();
      assertThat(HashRange.segment(count - 1, count).highInclusive()).isEqualTo(-1L);
      for (int i = 1; i < count; i++) {
        assertThat(HashRange.segment(i, count).lowInclusive())
            .isEqualTo(HashRange.segment(i - 1, count).highInclusive() + 1);
      }
    }
    // The full hash range ends where the keyspace ends (and starts at keyspace|0x00×8, below
    // every item key of the keyspace).
    assertThat(KeyCodec.hashRange(TABLE, HashRange.FULL).upperExclusive())
        .isEqualTo(KeyCodec.keyspaceRange(TABLE).upperExclusive());
  }

  // ---- Fixed cases -----------------------------------------------------------------------

  @Test
  void xxHash64MatchesTheReferenceVectors() {
    assertThat(XxHash64.hash(new byte[0])).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(XxHash64.hash("a".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xD24EC4F1A98C6E5BL);
    assertThat(XxHash64.hash("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x44BC2CF5AD770999L);
    assertThat(
            XxHash64.hash(
                "Nobody inspects the spammish repetition".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(0xFBCEA83C8A378BF1L);
  }

  @Test
  void numberLayoutIsAsDocumented() {
    HexFormat hex = HexFormat.of();
    assertThat(hex.formatHex(encode(AttributeValue.n(0)))).isEqualTo("03");
    // 1 = 0.1E1: exponent 0 -> 0x82, digits "1" -> pair 10 -> last -> 20 = 0x14
    assertThat(hex.formatHex(encode(AttributeValue.n(1)))).isEqualTo("048214");
    // 123: exponent 2 -> 0x84; pairs 12 (not last: 25 = 0x19), 30 (last: 60 = 0x3c)
    assertThat(hex.formatHex(encode(AttributeValue.n(123)))).isEqualTo("0484193c");
    // -123: every byte after the tag inverted
    assertThat(hex.formatHex(encode(AttributeValue.n(-123)))).isEqualTo("027be6c3");
    assertThat(hex.formatHex(encode(AttributeValue.s("a\u0000")))).isEqualTo("066100ff0001");
  }

  @Test
  void corruptKeysFailLoudly() {
    byte[] key = KeyCodec.itemKey(TABLE, AttributeValue.s("hello"), AttributeValue.n(5));
    byte[] badHash = key.clone();
    badHash[9] ^= 1;
    assertThatThrownBy(() -> KeyCodec.decode(badHash)).isInstanceOf(Invariants.InvariantViolation.class);
    byte[] truncated = Arrays.copyOf(key, key.length - 1);
    assertThatThrownBy(() -> KeyCodec.decode(truncated)).isInstanceOf(Invariants.InvariantViolation.class);
    assertThatThrownBy(() -> KeyCodec.decodeValue(new byte[] {0x04, (byte) 0x82, 0x00}))
        .isInstanceOf(Invariants.InvariantViolation.class);
    assertThatThrownBy(() -> KeyCodec.decodeValue(new byte[] {0x06, 0x00, 0x05}))
        .isInstanceOf(Invariants.InvariantViolation.class);
    assertThatThrownBy(() -> KeyCodec.decodeValue(new byte[] {0x09}))
        .isInstanceOf(Invariants.InvariantViolation.class);
  }

  @Test
  void refusesNonKeyTypesAndLoneSurrogates() {
    assertThatThrownBy(() -> KeyCodec.encodeValue(AttributeValue.Bool.TRUE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyCodec.encodeValue(AttributeValue.s("a\uD800b")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> KeyCodec.sortKeyRange(TABLE, AttributeValue.s("p"), new SortKeyCondition.BeginsWith(AttributeValue.n(1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyCodec.itemKey(KeyspaceId.SYSTEM, AttributeValue.s("p")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void betweenWithLowAboveHighIsEmpty() {
    KeyRange range =
        KeyCodec.sortKeyRange(
            TABLE, AttributeValue.s("p"), new SortKeyCondition.Between(AttributeValue.n(5), AttributeValue.n(4)));
    assertThat(range.isEmpty()).isTrue();
  }

  // ---- Helpers ---------------------------------------------------------------------------

  private static byte[] encode(AttributeValue value) {
    return KeyCodec.encodeValue(value);
  }

  private static int compare(byte[] a, byte[] b) {
    return Integer.signum(Arrays.compareUnsigned(a, b));
  }

  @Provide
  Arbitrary<DynamoNumber> numbers() {
    return Generators.numbers();
  }

  @Provide
  Arbitrary<String> strings() {
    return Generators.strings();
  }

  @Provide
  Arbitrary<Bytes> bytes() {
    return Generators.bytes();
  }

  @Provide
  Arbitrary<AttributeValue> keyValues() {
    return Generators.keyValues();
  }

  @Provide
  Arbitrary<Integer> segmentCounts() {
    return net.jqwik.api.Arbitraries.integers().between(1, 64);
  }
}
