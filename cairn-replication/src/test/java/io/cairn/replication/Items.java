package io.cairn.replication;

import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.ConditionExpression;
import io.cairn.expressions.ExpressionAttributes;
import io.cairn.expressions.Expressions;
import io.cairn.partition.ReturnValues;
import io.cairn.partition.WriteCommand;
import io.cairn.storage.ItemCodec;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyspaceId;
import java.util.LinkedHashMap;
import java.util.Map;

/** Items and commands for the tests: table keyspace 7, partition key "pk" (S). */
final class Items {
  static final KeyspaceId TABLE = new KeyspaceId(7);

  private Items() {}

  static Map<String, AttributeValue> key(String pk) {
    return Map.of("pk", new AttributeValue.S(pk));
  }

  static byte[] storageKey(String pk) {
    return KeyCodec.itemKey(TABLE, new AttributeValue.S(pk));
  }

  static WriteCommand put(String pk, long value) {
    return put(TABLE, pk, value);
  }

  static byte[] storageKey(KeyspaceId keyspace, String pk) {
    return KeyCodec.itemKey(keyspace, new AttributeValue.S(pk));
  }

  static WriteCommand put(KeyspaceId keyspace, String pk, long value) {
    Map<String, AttributeValue> item = new LinkedHashMap<>(key(pk));
    item.put("v", AttributeValue.N.of(value));
    return new WriteCommand.Put(storageKey(keyspace, pk), key(pk), item, null, ReturnValues.NONE, false);
  }

  static WriteCommand delete(KeyspaceId keyspace, String pk) {
    return new WriteCommand.Delete(storageKey(keyspace, pk), key(pk), null, ReturnValues.NONE, false);
  }

  /** Adds {@code delta} to attribute "n": not idempotent, so a double apply shows. */
  static WriteCommand increment(String pk, long delta) {
    ExpressionAttributes attributes = new ExpressionAttributes(null, Map.of(":d", AttributeValue.N.of(delta)));
    return new WriteCommand.Update(storageKey(pk), key(pk), Expressions.parseUpdate("ADD n :d", attributes),
        null, ReturnValues.UPDATED_NEW, false);
  }

  static ConditionExpression condition(String text, Map<String, AttributeValue> values) {
    return Expressions.parseCondition(text, new ExpressionAttributes(null, values.isEmpty() ? null : values),
        "ConditionExpression");
  }

  /** Attribute {@code name} of stored item bytes, as a long; null when absent. */
  static Long number(byte[] stored, String name) {
    if (stored == null) {
      return null;
    }
    AttributeValue value = ItemCodec.decode(stored).get(name);
    return value == null ? null : Long.valueOf(((AttributeValue.N) value).value().toString());
  }
}
