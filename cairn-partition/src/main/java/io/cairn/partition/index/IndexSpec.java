package io.cairn.partition.index;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import io.cairn.core.value.ItemSize;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyspaceId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A secondary index as the partition layer maintains it: where its entries live and how an
 * item becomes an entry. Pure: no I/O.
 *
 * <p>Entry key: {@code keyspace | xxh64(enc(pk1)..enc(pkn)) | enc(pk1)..enc(pkn) | enc(sk1)..enc(skm)
 * | enc(base key...)}. The base key at the end makes entries unique (many items share index
 * keys); an LSI appends only the base sort key, since its partition key is the base one. An LSI
 * entry has the base item's hash, so it stays inside the base partition's hash range.
 *
 * @param name the index name
 * @param global GSI (true) or LSI (false)
 * @param keyspace the index's own keyspace
 * @param partitionKey index partition-key attributes (1 for an LSI)
 * @param sortKey index sort-key attributes (possibly empty for a GSI)
 * @param basePartitionKey the table's partition-key attribute
 * @param baseSortKey the table's sort-key attribute, or null
 * @param projection what is copied
 * @param partitions a GSI's partitions (empty for an LSI, which lives in the base partitions)
 */
public record IndexSpec(
    String name,
    boolean global,
    KeyspaceId keyspace,
    List<IndexKeyAttribute> partitionKey,
    List<IndexKeyAttribute> sortKey,
    String basePartitionKey,
    String baseSortKey,
    IndexProjection projection,
    List<IndexPartition> partitions) {

  /** Bytes DynamoDB adds per index entry for its own bookkeeping when sizing an index. */
  public static final int ENTRY_OVERHEAD_BYTES = 100;

  public IndexSpec {
    Objects.requireNonNull(name, "name");
    partitionKey = List.copyOf(partitionKey);
    sortKey = List.copyOf(sortKey);
    partitions = List.copyOf(partitions);
    if (partitionKey.isEmpty()) {
      throw new IllegalArgumentException("an index needs a partition key");
    }
  }

  /** An entry: its storage key and the projected item stored there. */
  public record Entry(byte[] key, Map<String, AttributeValue> item) {
    public long sizeBytes() {
      return ItemSize.of(item) + ENTRY_OVERHEAD_BYTES;
    }
  }

  /** Names of every attribute an entry always carries: index key and table key. */
  public Set<String> keyAttributeNames() {
    Set<String> names = new LinkedHashSet<>();
    for (IndexKeyAttribute attribute : partitionKey) {
      names.add(attribute.name());
    }
    for (IndexKeyAttribute attribute : sortKey) {
      names.add(attribute.name());
    }
    names.add(basePartitionKey);
    if (baseSortKey != null) {
      names.add(baseSortKey);
    }
    return names;
  }

  /**
   * The entry of an item, or null when the item lacks an index key attribute or has it with
   * another type (a sparse index does not hold such items).
   */
  public Entry entryOf(Map<String, AttributeValue> item) {
    if (item == null) {
      return null;
    }
    byte[] key = keyOf(item);
    return key == null ? null : new Entry(key, projection.project(item, keyAttributeNames()));
  }

  /** The entry key for an item or for a key map holding index and base key attributes, or null. */
  public byte[] keyOf(Map<String, AttributeValue> item) {
    List<AttributeValue> partitionValues = values(item, partitionKey);
    List<AttributeValue> sortValues = values(item, sortKey);
    if (partitionValues == null || sortValues == null) {
      return null;
    }
    byte[] key = KeyCodec.indexPartitionPrefix(keyspace, partitionValues);
    List<AttributeValue> tail = new ArrayList<>(sortValues);
    if (global) {
      tail.add(item.get(basePartitionKey));
    }
    if (baseSortKey != null) {
      tail.add(item.get(baseSortKey));
    }
    for (AttributeValue value : tail) {
      if (value == null) {
        return null;
      }
    }
    return KeyCodec.append(key, tail);
  }

  private static List<AttributeValue> values(Map<String, AttributeValue> item, List<IndexKeyAttribute> attributes) {
    List<AttributeValue> values = new ArrayList<>(attributes.size());
    for (IndexKeyAttribute attribute : attributes) {
      AttributeValue value = item.get(attribute.name());
      if (value == null || !value.typeName().equals(attribute.type())) {
        return null;
      }
      values.add(value);
    }
    return values;
  }

  /**
   * DynamoDB refuses a write whose new item has an index key attribute of the wrong type or an
   * empty string or binary value; this returns that error, or null when the item is fine.
   */
  public DynamoDbException validate(Map<String, AttributeValue> item) {
    for (List<IndexKeyAttribute> attributes : List.of(partitionKey, sortKey)) {
      for (IndexKeyAttribute attribute : attributes) {
        AttributeValue value = item.get(attribute.name());
        if (value == null) {
          continue;
        }
        if (!value.typeName().equals(attribute.type())) {
          return DynamoDbException.validation("One or more parameter values were invalid: Type mismatch for Index Key "
              + attribute.name() + " Expected: " + attribute.type() + " Actual: " + value.typeName()
              + " IndexName: " + name);
        }
        boolean empty = switch (value) {
          case AttributeValue.S s -> s.value().isEmpty();
          case AttributeValue.B b -> b.value().length() == 0;
          default -> false;
        };
        if (empty) {
          return DynamoDbException.validation("One or more parameter values are not valid. A value specified for a "
              + "secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty "
              + (value instanceof AttributeValue.S ? "string" : "binary") + " value. IndexName: " + name
              + ", IndexKey: " + attribute.name());
        }
      }
    }
    return null;
  }

  /** The GSI partition that owns an entry key (its hash is bytes 8..16). */
  public IndexPartition partitionOf(byte[] entryKey) {
    long hash = java.nio.ByteBuffer.wrap(entryKey, 8, 8).getLong();
    for (IndexPartition partition : partitions) {
      if (partition.contains(hash)) {
        return partition;
      }
    }
    throw new IllegalStateException("index " + name + " has no partition for hash " + Long.toUnsignedString(hash));
  }
}
