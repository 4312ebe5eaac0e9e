package io.cairn.server;

import io.cairn.router.table.CatalogStore;
import io.cairn.storage.Durability;
import io.cairn.storage.StorageEngine;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The table catalog kept in the storage engine's metadata area, fsynced on every change: catalog
 * changes are rare and must never be lost.
 */
final class EngineCatalogStore implements CatalogStore {
  private static final String TABLE_PREFIX = "catalog/table/";
  private static final String NEXT_TABLE_ID = "catalog/next-table-id";
  private static final String NEXT_PARTITION_ID = "catalog/next-partition-id";

  private final StorageEngine engine;

  EngineCatalogStore(StorageEngine engine) {
    this.engine = engine;
  }

  @Override
  public List<byte[]> loadAll() {
    return new ArrayList<>(engine.listMetadata(TABLE_PREFIX).values());
  }

  @Override
  public void put(String tableName, byte[] definition) {
    engine.putMetadata(TABLE_PREFIX + tableName, definition, Durability.FSYNC);
  }

  @Override
  public void remove(String tableName) {
    engine.deleteMetadata(TABLE_PREFIX + tableName, Durability.FSYNC);
  }

  @Override
  public synchronized long nextTableId() {
    return next(NEXT_TABLE_ID);
  }

  @Override
  public synchronized long nextPartitionId() {
    return next(NEXT_PARTITION_ID);
  }

  private long next(String counter) {
    byte[] stored = engine.getMetadata(counter);
    long next = stored == null ? 1 : ByteBuffer.wrap(stored).getLong();
    engine.putMetadata(counter, ByteBuffer.allocate(8).putLong(next + 1).array(), Durability.FSYNC);
    return next;
  }
}
