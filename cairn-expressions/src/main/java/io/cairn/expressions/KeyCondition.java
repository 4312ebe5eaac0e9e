package io.cairn.expressions;

import io.cairn.core.value.AttributeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Query's key condition: an equality on every partition-key attribute, equalities on a prefix of
 * the sort-key attributes, and at most one condition (any operator) on the sort-key attribute
 * that follows that prefix. For a single-attribute key that is DynamoDB's familiar shape: the
 * partition key, then at most one condition on the sort key ({@code sortKeyPrefix} is empty). The
 * storage layer turns it into one key range, because the sort-key attributes are encoded one after
 * another, each in its own type's order.
 *
 * @param partitionKey the partition-key attributes in declared order, each with its value
 * @param sortKeyPrefix equalities on the first sort-key attributes, in declared order
 * @param sortKey the condition on the next sort-key attribute, if any
 */
public record KeyCondition(
    List<KeyEquality> partitionKey, List<KeyEquality> sortKeyPrefix, Optional<SortKeyCondition> sortKey) {

  /** {@code attributeName = value}. */
  public record KeyEquality(String attributeName, AttributeValue value) {
    public KeyEquality {
      Objects.requireNonNull(attributeName, "attributeName");
      Objects.requireNonNull(value, "value");
    }
  }

  public KeyCondition {
    partitionKey = List.copyOf(partitionKey);
    sortKeyPrefix = List.copyOf(sortKeyPrefix);
    Objects.requireNonNull(sortKey, "sortKey");
    if (partitionKey.isEmpty()) {
      throw new IllegalArgumentException("a key condition names the partition key");
    }
  }

  /** A single-attribute key's condition. */
  public KeyCondition(String partitionKeyName, AttributeValue partitionKeyValue, Optional<SortKeyCondition> sortKey) {
    this(List.of(new KeyEquality(partitionKeyName, partitionKeyValue)), List.of(), sortKey);
  }

  /** The first (for a single-attribute key, the only) partition-key attribute. */
  public String partitionKeyName() {
    return partitionKey.get(0).attributeName();
  }

  public AttributeValue partitionKeyValue() {
    return partitionKey.get(0).value();
  }

  /** The partition-key values in declared order. */
  public List<AttributeValue> partitionKeyValues() {
    return values(partitionKey);
  }

  /** The values the sort-key prefix must equal, in declared order. */
  public List<AttributeValue> sortKeyPrefixValues() {
    return values(sortKeyPrefix);
  }

  private static List<AttributeValue> values(List<KeyEquality> equalities) {
    List<AttributeValue> values = new ArrayList<>(equalities.size());
    for (KeyEquality equality : equalities) {
      values.add(equality.value());
    }
    return values;
  }

  /** Whether an item (with its key attributes) satisfies the whole key condition. */
  public boolean test(Map<String, AttributeValue> item) {
    for (List<KeyEquality> equalities : List.of(partitionKey, sortKeyPrefix)) {
      for (KeyEquality equality : equalities) {
        if (!equality.value().equals(item.get(equality.attributeName()))) {
          return false;
        }
      }
    }
    if (sortKey.isEmpty()) {
      return true;
    }
    AttributeValue sortValue = item.get(sortKey.get().attributeName());
    return sortValue != null && sortKey.get().matches(sortValue);
  }
}
