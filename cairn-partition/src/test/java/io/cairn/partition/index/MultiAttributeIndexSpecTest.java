package io.cairn.partition.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.id.PartitionId;
import io.cairn.core.value.AttributeValue;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyspaceId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A GSI with DynamoDB's multi-attribute keys (2 partition-key and 2 sort-key attributes here): an
 * item is indexed only when it has every key attribute with its declared type, the partition is
 * chosen by the hash of all partition-key values, and entries sort by the sort-key tuple.
 */
class MultiAttributeIndexSpecTest {
  private static final KeyspaceId INDEX = new KeyspaceId(9);
  private static final IndexSpec SPEC = new IndexSpec("byMatch", true, INDEX,
      List.of(new IndexKeyAttribute("tourney", "S"), new IndexKeyAttribute("area", "S")),
      List.of(new IndexKeyAttribute("stage", "S"), new IndexKeyAttribute("score", "N")),
      "pk", null, new IndexProjection(IndexProjection.Type.KEYS_ONLY, List.of()),
      List.of(new IndexPartition(new PartitionId(1), 0, -1L)));

  private static Map<String, AttributeValue> item(String pk, String stage, long score) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", AttributeValue.s(pk));
    item.put("tourney", AttributeValue.s("W24"));
    item.put("area", AttributeValue.s("NA"));
    item.put("stage", AttributeValue.s(stage));
    item.put("score", AttributeValue.n(score));
    item.put("other", AttributeValue.s("not projected"));
    return item;
  }

  @Test
  void an_item_is_indexed_only_with_every_key_attribute_of_the_declared_type() {
    assertThat(SPEC.entryOf(item("a", "SEMI", 3))).isNotNull();
    for (String attribute : List.of("tourney", "area", "stage", "score")) {
      Map<String, AttributeValue> missing = item("a", "SEMI", 3);
      missing.remove(attribute);
      assertThat(SPEC.entryOf(missing)).as("without " + attribute).isNull();
    }
    Map<String, AttributeValue> mistyped = item("a", "SEMI", 3);
    mistyped.put("score", AttributeValue.s("3"));
    assertThat(SPEC.entryOf(mistyped)).isNull();
    assertThat(SPEC.validate(mistyped).getMessage()).isEqualTo("One or more parameter values were invalid: "
        + "Type mismatch for Index Key score Expected: N Actual: S IndexName: byMatch");
    Map<String, AttributeValue> empty = item("a", "SEMI", 3);
    empty.put("area", AttributeValue.s(""));
    assertThat(SPEC.validate(empty).getMessage()).contains("IndexKey: area");
  }

  @Test
  void the_entry_carries_every_key_attribute_and_hashes_all_partition_values() {
    IndexSpec.Entry entry = SPEC.entryOf(item("a", "SEMI", 3));
    assertThat(entry.item()).containsOnlyKeys("pk", "tourney", "area", "stage", "score");
    byte[] prefix = KeyCodec.indexPartitionPrefix(INDEX, List.of(AttributeValue.s("W24"), AttributeValue.s("NA")));
    assertThat(Arrays.copyOf(entry.key(), prefix.length)).isEqualTo(prefix);
    long hash = java.nio.ByteBuffer.wrap(entry.key(), 8, 8).getLong();
    assertThat(hash).isEqualTo(KeyCodec.hashPartitionKey(List.of(AttributeValue.s("W24"), AttributeValue.s("NA"))));
  }

  @Test
  void entries_sort_by_the_sort_key_tuple_then_the_base_key() {
    List<byte[]> keys = List.of(
        SPEC.keyOf(item("z", "FINAL", 1)),
        SPEC.keyOf(item("b", "SEMI", 2)),
        SPEC.keyOf(item("a", "SEMI", 10)),
        SPEC.keyOf(item("c", "SEMI", 10)));
    for (int i = 0; i + 1 < keys.size(); i++) {
      assertThat(Arrays.compareUnsigned(keys.get(i), keys.get(i + 1))).as("key %d before key %d", i, i + 1)
          .isNegative();
    }
  }
}
