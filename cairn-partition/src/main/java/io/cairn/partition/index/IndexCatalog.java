package io.cairn.partition.index;

import io.cairn.storage.KeyspaceId;

/**
 * What the partition layer needs to know about secondary indexes: which indexes a base keyspace's
 * writes maintain, and the current definition of a global index (null once it was deleted, so
 * the propagator drops changes addressed to it).
 */
public interface IndexCatalog {
  IndexCatalog NONE = new IndexCatalog() {
    @Override
    public TableIndexes indexesOf(KeyspaceId baseKeyspace) {
      return null;
    }

    @Override
    public IndexSpec globalIndex(KeyspaceId indexKeyspace) {
      return null;
    }
  };

  /** The indexes of the table stored in {@code baseKeyspace}, or null when it has none. */
  TableIndexes indexesOf(KeyspaceId baseKeyspace);

  /** The global index stored in {@code indexKeyspace}, or null. */
  IndexSpec globalIndex(KeyspaceId indexKeyspace);
}
