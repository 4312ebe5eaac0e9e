package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.value.AttributeValue;
import io.cairn.core.value.Bytes;
import io.cairn.core.value.DynamoNumber;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Multi-attribute index keys (DynamoDB's GSIs with up to 4 sort-key attributes): entries sort
 * lexicographically over the sort-key attributes in declared order, each attribute by its own
 * type's order, then by the base key; and a Query with equalities on a prefix of the attributes
 * and one condition on the next is exactly one key range ({@link KeyCodec#indexSortKeyRange} under
 * the prefix {@code indexPartitionPrefix | enc(prefix values)}).
 */
class IndexKeyTupleTest {
  private static final KeyspaceId INDEX = new KeyspaceId(42);
  private static final List<String> TYPES = List.of("S", "N", "B");
  private static final List<AttributeValue> STRINGS = List.of(
      AttributeValue.s("a"), AttributeValue.s("ab"), AttributeValue.s("b"), AttributeValue.s("a\u0000"),
      AttributeValue.s("\u0000"), AttributeValue.s("\u00e9"), AttributeValue.s("ba"));
  private static final List<AttributeValue> NUMBERS = List.of(
      number("-10"), number("-1.5"), number("0"), number("1"), number("1.5"), number("10"), number("100"));
  private static final List<AttributeValue> BINARIES = List.of(
      binary(0), binary(0, 0), binary(1), binary(0xFF), binary(1, 0), binary(0, 0xFF));
  private static final int ENTRIES = 40;

  /** One index entry: its sort-key tuple and a base key that makes it unique. */
  private record Entry(List<AttributeValue> sortKey, int baseKey, byte[] key) {}

  @Property(tries = 400)
  void entriesSortByTupleThenBaseKeyAndPrefixQueriesAreOneRange(@ForAll long seed) {
    Random random = new Random(seed);
    List<String> types = new ArrayList<>();
    int attributes = 1 + random.nextInt(4);
    for (int i = 0; i < attributes; i++) {
      types.add(TYPES.get(random.nextInt(TYPES.size())));
    }
    List<AttributeValue> partitionValues = List.of(AttributeValue.s("p"), AttributeValue.n(7));
    byte[] partitionPrefix = KeyCodec.indexPartitionPrefix(INDEX, partitionValues);
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < ENTRIES; i++) {
      List<AttributeValue> tuple = new ArrayList<>();
      for (String type : types) {
        tuple.add(pick(random, type));
      }
      List<AttributeValue> tail = new ArrayList<>(tuple);
      tail.add(AttributeValue.n(i));
      entries.add(new Entry(tuple, i, KeyCodec.append(partitionPrefix, tail)));
    }

    // Ordering: byte order of the keys is tuple order, then base-key order.
    Comparator<Entry> byTuple = (a, b) -> {
      for (int i = 0; i < a.sortKey().size(); i++) {
        int c = compareValues(a.sortKey().get(i), b.sortKey().get(i));
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(a.baseKey(), b.baseKey());
    };
    List<Entry> byBytes = new ArrayList<>(entries);
    byBytes.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
    List<Entry> expected = new ArrayList<>(entries);
    expected.sort(byTuple);
    assertThat(byBytes.stream().map(Entry::baseKey).toList())
        .as("types %s, seed %d", types, seed)
        .isEqualTo(expected.stream().map(Entry::baseKey).toList());

    // A query: equalities on the first k attributes (values of a random entry), a condition on
    // attribute k (or none when k = attributes).
    int k = random.nextInt(attributes + 1);
    List<AttributeValue> equalities = entries.get(random.nextInt(ENTRIES)).sortKey().subList(0, k);
    SortKeyCondition condition = k == attributes ? new SortKeyCondition.Any() : condition(random, types.get(k));
    KeyRange range = KeyCodec.indexSortKeyRange(KeyCodec.append(partitionPrefix, equalities), condition);
    for (Entry entry : entries) {
      boolean matches = entry.sortKey().subList(0, k).equals(equalities)
          && (k == attributes || matches(condition, entry.sortKey().get(k)));
      assertThat(range.contains(entry.key()))
          .as("entry %s, equalities %s, condition %s, seed %d", entry.sortKey(), equalities, condition, seed)
          .isEqualTo(matches);
    }
    // No entry of another partition-key tuple falls into the range.
    byte[] foreign = KeyCodec.append(
        KeyCodec.indexPartitionPrefix(INDEX, List.of(AttributeValue.s("p"), AttributeValue.n(8))),
        entries.get(0).sortKey());
    assertThat(range.contains(foreign)).isFalse();
  }

  private static SortKeyCondition condition(Random random, String type) {
    AttributeValue a = pick(random, type);
    AttributeValue b = pick(random, type);
    int choices = type.equals("N") ? 7 : 8;
    return switch (random.nextInt(choices)) {
      case 0 -> new SortKeyCondition.Any();
      case 1 -> new SortKeyCondition.Eq(a);
      case 2 -> new SortKeyCondition.Lt(a);
      case 3 -> new SortKeyCondition.Le(a);
      case 4 -> new SortKeyCondition.Gt(a);
      case 5 -> new SortKeyCondition.Ge(a);
      case 6 -> new SortKeyCondition.Between(a, b);
      default -> new SortKeyCondition.BeginsWith(a);
    };
  }

  private static boolean matches(SortKeyCondition condition, AttributeValue value) {
    return switch (condition) {
      case SortKeyCondition.Any any -> true;
      case SortKeyCondition.Eq eq -> compareValues(value, eq.value()) == 0;
      case SortKeyCondition.Lt lt -> compareValues(value, lt.value()) < 0;
      case SortKeyCondition.Le le -> compareValues(value, le.value()) <= 0;
      case SortKeyCondition.Gt gt -> compareValues(value, gt.value()) > 0;
      case SortKeyCondition.Ge ge -> compareValues(value, ge.value()) >= 0;
      case SortKeyCondition.Between between ->
          compareValues(value, between.low()) >= 0 && compareValues(value, between.high()) <= 0;
      case SortKeyCondition.BeginsWith beginsWith -> startsWith(plainBytes(value), plainBytes(beginsWith.prefix()));
    };
  }

  /** DynamoDB's order of one key attribute: numbers numerically, S by UTF-8 bytes, B unsigned. */
  private static int compareValues(AttributeValue a, AttributeValue b) {
    if (a instanceof AttributeValue.N x && b instanceof AttributeValue.N y) {
      return x.value().compareTo(y.value());
    }
    return Arrays.compareUnsigned(plainBytes(a), plainBytes(b));
  }

  private static byte[] plainBytes(AttributeValue value) {
    return switch (value) {
      case AttributeValue.S s -> s.value().getBytes(StandardCharsets.UTF_8);
      case AttributeValue.B b -> b.value().toByteArray();
      default -> throw new IllegalArgumentException("not S or B: " + value);
    };
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static AttributeValue pick(Random random, String type) {
    List<AttributeValue> domain = switch (type) {
      case "S" -> STRINGS;
      case "N" -> NUMBERS;
      default -> BINARIES;
    };
    return domain.get(random.nextInt(domain.size()));
  }

  private static AttributeValue number(String text) {
    return new AttributeValue.N(DynamoNumber.of(new BigDecimal(text)));
  }

  private static AttributeValue binary(int... bytes) {
    byte[] raw = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      raw[i] = (byte) bytes[i];
    }
    return new AttributeValue.B(Bytes.wrap(raw));
  }
}
