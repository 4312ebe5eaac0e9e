package io.cairn.router.table;

/** A table's lifecycle state, as DescribeTable reports it. */
public enum TableStatus {
  CREATING,
  ACTIVE,
  UPDATING,
  DELETING
}
