package io.cairn.router.item;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.ExpressionAttributes;
import io.cairn.expressions.Expressions;
import io.cairn.expressions.KeyCondition;
import io.cairn.expressions.KeySchemaInfo;
import io.cairn.partition.index.IndexKeyAttribute;
import io.cairn.router.request.Fields;
import io.cairn.router.table.IndexDefinition;
import io.cairn.router.table.KeySchema;
import io.cairn.router.table.TableDefinition;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyRange;
import io.cairn.storage.KeyspaceId;
import io.cairn.storage.SortKeyCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A Query's key condition (on a table or an index), turned into the storage layer's key-range terms. */
final class Queries {
  private Queries() {}

  record KeyQuery(AttributeValue partitionKey, SortKeyCondition sortKey) {}

  static KeyQuery keyCondition(ObjectNode request, ExpressionAttributes attributes, TableDefinition table) {
    return keyCondition(request, attributes, table.keySchema());
  }

  /** The key condition against a key schema: the table's or an index's. */
  static KeyQuery keyCondition(ObjectNode request, ExpressionAttributes attributes, KeySchema schema) {
    KeySchemaInfo keys = new KeySchemaInfo(
        schema.partitionKey(), schema.partitionKeyType(), schema.sortKey(), schema.sortKeyType());
    KeyCondition condition = parse(request, attributes, keys);
    SortKeyCondition sortKey = condition.sortKey().map(Queries::toStorage).orElseGet(SortKeyCondition.Any::new);
    return new KeyQuery(condition.partitionKeyValue(), sortKey);
  }

  /**
   * An index Query's key condition: the values of every index partition-key attribute, the values
   * a prefix of the sort-key attributes must equal, and the condition on the next sort-key
   * attribute. A single-attribute index key is the case of one partition value and an empty
   * prefix; DynamoDB's multi-attribute GSI keys use the rest.
   */
  record IndexKeyQuery(List<AttributeValue> partitionKey, List<AttributeValue> sortKeyPrefix, SortKeyCondition sortKey) {
    /** The one key range of the index's entries that satisfy the condition. */
    KeyRange range(KeyspaceId indexKeyspace) {
      byte[] prefix = KeyCodec.append(KeyCodec.indexPartitionPrefix(indexKeyspace, partitionKey), sortKeyPrefix);
      return KeyCodec.indexSortKeyRange(prefix, sortKey);
    }

    /** Whether a key map (an ExclusiveStartKey) has this Query's partition-key values. */
    boolean samePartition(IndexDefinition index, Map<String, AttributeValue> key) {
      for (int i = 0; i < partitionKey.size(); i++) {
        if (!partitionKey.get(i).equals(key.get(index.partitionKey().get(i).name()))) {
          return false;
        }
      }
      return true;
    }
  }

  /** The key condition against an index's key schema, single- or multi-attribute. */
  static IndexKeyQuery indexKeyCondition(ObjectNode request, ExpressionAttributes attributes, IndexDefinition index) {
    KeySchemaInfo keys = new KeySchemaInfo(keyAttributes(index.partitionKey()), keyAttributes(index.sortKey()));
    KeyCondition condition = parse(request, attributes, keys);
    SortKeyCondition sortKey = condition.sortKey().map(Queries::toStorage).orElseGet(SortKeyCondition.Any::new);
    return new IndexKeyQuery(condition.partitionKeyValues(), condition.sortKeyPrefixValues(), sortKey);
  }

  private static List<KeySchemaInfo.KeyAttribute> keyAttributes(List<IndexKeyAttribute> attributes) {
    List<KeySchemaInfo.KeyAttribute> keys = new ArrayList<>(attributes.size());
    for (IndexKeyAttribute attribute : attributes) {
      keys.add(new KeySchemaInfo.KeyAttribute(attribute.name(), attribute.type()));
    }
    return keys;
  }

  private static KeyCondition parse(ObjectNode request, ExpressionAttributes attributes, KeySchemaInfo keys) {
    String text = Fields.string(request, "KeyConditionExpression");
    return text != null
        ? Expressions.parseKeyCondition(text, attributes, keys)
        : LegacyRequests.keyConditions(Fields.object(request, "KeyConditions"), keys);
  }

  private static SortKeyCondition toStorage(io.cairn.expressions.SortKeyCondition condition) {
    List<AttributeValue> values = condition.values();
    return switch (condition.operator()) {
      case EQ -> new SortKeyCondition.Eq(values.get(0));
      case LT -> new SortKeyCondition.Lt(values.get(0));
      case LE -> new SortKeyCondition.Le(values.get(0));
      case GT -> new SortKeyCondition.Gt(values.get(0));
      case GE -> new SortKeyCondition.Ge(values.get(0));
      case BETWEEN -> new SortKeyCondition.Between(values.get(0), values.get(1));
      case BEGINS_WITH -> new SortKeyCondition.BeginsWith(values.get(0));
    };
  }
}
