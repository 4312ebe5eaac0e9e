package io.cairn.metadata;

import java.util.List;

/**
 * The same five methods as the router's {@code io.cairn.router.table.CatalogStore}, so the server
 * can adapt {@link MetadataCatalogStore} in one line:
 * {@code CatalogStore store = new CatalogStore() { ... delegate ... }} or by making
 * {@code CatalogStore} extend this interface. Definitions are opaque bytes here.
 */
public interface TableDefinitionStore {
  List<byte[]> loadAll();

  void put(String tableName, byte[] definition);

  void remove(String tableName);

  long nextTableId();

  long nextPartitionId();
}
