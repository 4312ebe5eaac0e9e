package io.cairn.router.item;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.ExpressionAttributes;
import io.cairn.expressions.Expressions;
import io.cairn.expressions.KeyCondition;
import io.cairn.expressions.KeySchemaInfo;
import io.cairn.router.request.Fields;
import io.cairn.router.table.KeySchema;
import io.cairn.router.table.TableDefinition;
import io.cairn.storage.SortKeyCondition;
import java.util.List;

/** A Query's key condition, turned into the storage layer's key-range terms. */
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
    String text = Fields.string(request, "KeyConditionExpression");
    KeyCondition condition = text != null
        ? Expressions.parseKeyCondition(text, attributes, keys)
        : LegacyRequests.keyConditions(Fields.object(request, "KeyConditions"), keys);
    SortKeyCondition sortKey = condition.sortKey().map(Queries::toStorage).orElseGet(SortKeyCondition.Any::new);
    return new KeyQuery(condition.partitionKeyValue(), sortKey);
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
