package io.cairn.partition;

/** What a write returns of the item, as DynamoDB's ReturnValues parameter names it. */
public enum ReturnValues {
  NONE,
  ALL_OLD,
  UPDATED_OLD,
  ALL_NEW,
  UPDATED_NEW
}
