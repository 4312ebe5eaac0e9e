package io.cairn.expressions;

import io.cairn.core.value.AttributeValue;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Query's key condition: equality on the partition key and at most one condition on the sort
 * key. The storage layer turns it into a key range.
 */
public record KeyCondition(
    String partitionKeyName, AttributeValue partitionKeyValue, Optional<SortKeyCondition> sortKey) {

  public KeyCondition {
    Objects.requireNonNull(partitionKeyName, "partitionKeyName");
    Objects.requireNonNull(partitionKeyValue, "partitionKeyValue");
    Objects.requireNonNull(sortKey, "sortKey");
  }

  /** Whether an item (with its key attributes) satisfies the whole key condition. */
  public boolean test(Map<String, AttributeValue> item) {
    if (!partitionKeyValue.equals(item.get(partitionKeyName))) {
      return false;
    }
    if (sortKey.isEmpty()) {
      return true;
    }
    AttributeValue sortValue = item.get(sortKey.get().attributeName());
    return sortValue != null && sortKey.get().matches(sortValue);
  }
}
