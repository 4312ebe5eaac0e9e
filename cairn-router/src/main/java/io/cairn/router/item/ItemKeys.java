package io.cairn.router.item;

import io.cairn.core.Limits;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import io.cairn.core.value.ItemSize;
import io.cairn.router.table.KeySchema;
import io.cairn.router.table.TableDefinition;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyspaceId;
import java.util.LinkedHashMap;
import java.util.Map;

/** Validation of primary keys against a table's key schema, and their storage keys. */
public final class ItemKeys {
  static final String KEY_MISMATCH = "The provided key element does not match the schema";

  private ItemKeys() {}

  /** Checks a Key parameter: exactly the key attributes, of the declared types, within limits. */
  public static void validateKey(TableDefinition table, Map<String, AttributeValue> key) {
    KeySchema schema = table.keySchema();
    int expected = schema.hasSortKey() ? 2 : 1;
    if (key.size() != expected) {
      throw DynamoDbException.validation(KEY_MISMATCH);
    }
    for (Map.Entry<String, AttributeValue> attribute : key.entrySet()) {
      String declared = schema.typeOf(attribute.getKey());
      if (declared == null || !declared.equals(attribute.getValue().typeName())) {
        throw DynamoDbException.validation(KEY_MISMATCH);
      }
    }
    checkKeyValues(schema, key);
  }

  /** Checks that an item carries its key attributes with the declared types (PutItem). */
  public static void validateItemKey(TableDefinition table, Map<String, AttributeValue> item) {
    KeySchema schema = table.keySchema();
    checkPresentWithType(item, schema.partitionKey(), schema.partitionKeyType());
    if (schema.hasSortKey()) {
      checkPresentWithType(item, schema.sortKey(), schema.sortKeyType());
    }
    checkKeyValues(schema, item);
  }

  private static void checkPresentWithType(Map<String, AttributeValue> item, String name, String type) {
    AttributeValue value = item.get(name);
    if (value == null) {
      throw DynamoDbException.validation("One or more parameter values were invalid: Missing the key " + name + " in the item");
    }
    if (!value.typeName().equals(type)) {
      throw DynamoDbException.validation("One or more parameter values were invalid: Type mismatch for key "
          + name + " expected: " + type + " actual: " + value.typeName());
    }
  }

  private static void checkKeyValues(KeySchema schema, Map<String, AttributeValue> item) {
    AttributeValue partitionKey = item.get(schema.partitionKey());
    checkNotEmpty(schema.partitionKey(), partitionKey);
    if (ItemSize.of(partitionKey) > Limits.PARTITION_KEY_BYTES_MAX) {
      throw DynamoDbException.validation(
          "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
    }
    if (schema.hasSortKey()) {
      AttributeValue sortKey = item.get(schema.sortKey());
      checkNotEmpty(schema.sortKey(), sortKey);
      if (ItemSize.of(sortKey) > Limits.SORT_KEY_BYTES_MAX) {
        throw DynamoDbException.validation(
            "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
      }
    }
  }

  private static void checkNotEmpty(String name, AttributeValue value) {
    boolean empty = switch (value) {
      case AttributeValue.S s -> s.value().isEmpty();
      case AttributeValue.B b -> b.value().length() == 0;
      default -> false;
    };
    if (empty) {
      throw DynamoDbException.validation(
          "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
              + (value instanceof AttributeValue.S ? "string" : "binary") + " value. Key: " + name);
    }
  }

  /**
   * Checks an item's secondary-index key attributes (type, not empty) before anything is written:
   * DynamoDB refuses a whole BatchWriteItem when one item does not fit an index. The partition
   * applier checks the same for items an UpdateItem produces.
   */
  public static void validateIndexKeys(TableDefinition table, Map<String, AttributeValue> item) {
    for (io.cairn.router.table.IndexDefinition index : table.indexes()) {
      DynamoDbException invalid = index.spec(table).validate(item);
      if (invalid != null) {
        throw invalid;
      }
    }
  }

  /** Checks an ExclusiveStartKey: DynamoDB's message names the starting key. */
  public static void validateStartKey(TableDefinition table, Map<String, AttributeValue> key) {
    try {
      validateKey(table, key);
    } catch (DynamoDbException e) {
      throw DynamoDbException.validation("The provided starting key is invalid: " + e.getMessage());
    }
  }

  /** The key attributes of an item, in schema order. */
  public static Map<String, AttributeValue> keyOf(TableDefinition table, Map<String, AttributeValue> item) {
    KeySchema schema = table.keySchema();
    Map<String, AttributeValue> key = new LinkedHashMap<>(4);
    key.put(schema.partitionKey(), item.get(schema.partitionKey()));
    if (schema.hasSortKey()) {
      key.put(schema.sortKey(), item.get(schema.sortKey()));
    }
    return key;
  }

  public static KeyspaceId keyspace(TableDefinition table) {
    return KeyspaceId.of(table.tableId());
  }

  /** The storage-engine key of a (validated) key or item. */
  public static byte[] storageKey(TableDefinition table, Map<String, AttributeValue> keyOrItem) {
    KeySchema schema = table.keySchema();
    AttributeValue partitionKey = keyOrItem.get(schema.partitionKey());
    return schema.hasSortKey()
        ? KeyCodec.itemKey(keyspace(table), partitionKey, keyOrItem.get(schema.sortKey()))
        : KeyCodec.itemKey(keyspace(table), partitionKey);
  }

  public static long hash(TableDefinition table, Map<String, AttributeValue> keyOrItem) {
    return KeyCodec.hashPartitionKey(keyOrItem.get(table.keySchema().partitionKey()));
  }
}
