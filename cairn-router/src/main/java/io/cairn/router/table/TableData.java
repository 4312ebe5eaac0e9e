package io.cairn.router.table;

/** What table operations need from the data path. */
public interface TableData {

  /** Removes every item of the table (a range deletion, not key by key). */
  void drop(TableDefinition table);

  /** Item count and total item bytes, as DescribeTable reports them. */
  TableStats stats(TableDefinition table);

  /** Entry count and bytes of one secondary index. */
  default TableStats indexStats(TableDefinition table, IndexDefinition index) {
    return new TableStats(0, 0);
  }

  /** Outbox records of the table's partitions not yet applied to its GSIs (the index lag). */
  default long pendingIndexChanges(TableDefinition table) {
    return 0;
  }

  /** Frees a deleted GSI's data (a range deletion ordered after every change applied to it). */
  default void dropIndex(TableDefinition table, IndexDefinition index) {}

  /** Starts (or resumes) the backfill of a GSI being created on a live table. */
  default void startBackfill(TableDefinition table, IndexDefinition index) {}

  record TableStats(long itemCount, long sizeBytes) {}
}
