package io.cairn.router.table;

import java.util.List;

/**
 * Durable storage for the table catalog. In a single process it is a reserved area of the node's
 * storage engine; in a cluster it becomes the metadata service's replicated state.
 */
public interface CatalogStore {

  /** Every stored table definition, as written by {@link #put}. */
  List<byte[]> loadAll();

  /** Stores (replaces) one table's definition durably before returning. */
  void put(String tableName, byte[] definition);

  /** Removes one table's definition durably before returning. */
  void remove(String tableName);

  /** A table id never handed out before, durable before returning. */
  long nextTableId();

  /** A partition id never handed out before, durable before returning. */
  long nextPartitionId();
}
