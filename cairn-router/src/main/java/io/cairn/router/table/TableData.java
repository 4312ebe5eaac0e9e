package io.cairn.router.table;

/** What table operations need from the data path. */
public interface TableData {

  /** Removes every item of the table (a range deletion, not key by key). */
  void drop(TableDefinition table);

  /** Item count and total item bytes, as DescribeTable reports them. */
  TableStats stats(TableDefinition table);

  record TableStats(long itemCount, long sizeBytes) {}
}
