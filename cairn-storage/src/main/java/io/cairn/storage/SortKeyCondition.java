package io.cairn.storage;

import io.cairn.core.value.AttributeValue;

/** A Query's key condition on the sort key; each becomes one contiguous key range. */
public sealed interface SortKeyCondition {
  /** No condition: every item of the partition key. */
  record Any() implements SortKeyCondition {}

  record Eq(AttributeValue value) implements SortKeyCondition {}

  record Lt(AttributeValue value) implements SortKeyCondition {}

  record Le(AttributeValue value) implements SortKeyCondition {}

  record Gt(AttributeValue value) implements SortKeyCondition {}

  record Ge(AttributeValue value) implements SortKeyCondition {}

  /** Both ends inclusive, as in DynamoDB's BETWEEN. */
  record Between(AttributeValue low, AttributeValue high) implements SortKeyCondition {}

  /** S or B only, as in DynamoDB. */
  record BeginsWith(AttributeValue prefix) implements SortKeyCondition {}
}
