package io.cairn.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router's catalog store over the metadata service (sketch of the cluster-mode adapter).
 *
 * <p>{@code CatalogStore.put} means "replace"; against a shared service that would let two routers
 * overwrite each other's changes. So this store remembers the version of every definition it read
 * or wrote and replaces by compare-and-set on that version: a {@code put} based on an outdated read
 * fails with {@link ConcurrentTableChangeException} instead of losing the other change. A
 * {@code put} of a name this store has never seen is a create (fails if the name exists).
 *
 * <p>Ids are allocated in blocks ({@code idBlockSize}) to save a log entry per id; ids of a block not
 * handed out before a restart are skipped, never reused.
 */
public final class MetadataCatalogStore implements TableDefinitionStore {
  private final MetadataClient client;
  private final ConcurrentHashMap<String, Long> versions = new ConcurrentHashMap<>();
  private final IdBlock tableIds;
  private final IdBlock partitionIds;

  public MetadataCatalogStore(MetadataClient client, int idBlockSize) {
    if (idBlockSize < 1 || idBlockSize > MetadataState.ID_BATCH_MAX) {
      throw new IllegalArgumentException("idBlockSize must be 1.." + MetadataState.ID_BATCH_MAX);
    }
    this.client = client;
    this.tableIds = new IdBlock(client, IdKind.TABLE, idBlockSize);
    this.partitionIds = new IdBlock(client, IdKind.PARTITION, idBlockSize);
  }

  @Override
  public List<byte[]> loadAll() {
    MetadataReply.Tables tables = client.listTables();
    List<byte[]> definitions = new ArrayList<>(tables.tables().size());
    versions.clear();
    for (TableRecord t : tables.tables()) {
      versions.put(t.name(), t.version());
      definitions.add(t.definition());
    }
    return definitions;
  }

  /** The version this store last saw for a table, or 0. */
  public long knownVersion(String tableName) {
    return versions.getOrDefault(tableName, 0L);
  }

  @Override
  public void put(String tableName, byte[] definition) {
    Long known = versions.get(tableName);
    MetadataReply reply = known == null
        ? client.createTable(tableName, definition)
        : client.compareAndSetTable(tableName, known, definition);
    switch (reply) {
      case MetadataReply.TableWritten w -> versions.put(tableName, w.version());
      case MetadataReply.AlreadyExists e -> {
        versions.put(tableName, e.currentVersion());
        throw new ConcurrentTableChangeException(tableName, e.currentVersion(), "Table already exists: " + tableName);
      }
      case MetadataReply.Conflict c -> {
        if (c.currentVersion() == 0) {
          versions.remove(tableName);
        } else {
          versions.put(tableName, c.currentVersion());
        }
        throw new ConcurrentTableChangeException(tableName, c.currentVersion(),
            "table " + tableName + " changed concurrently: expected version " + c.expectedVersion() + ", found " + c.currentVersion());
      }
      default -> throw new IllegalStateException("unexpected reply to a table write: " + reply);
    }
  }

  @Override
  public void remove(String tableName) {
    MetadataReply reply = client.deleteTable(tableName, versions.getOrDefault(tableName, MetadataCommand.ANY_VERSION));
    switch (reply) {
      case MetadataReply.TableDeleted d -> versions.remove(tableName);
      case MetadataReply.Conflict c -> {
        if (c.currentVersion() == 0) {
          versions.remove(tableName); // already gone: removing is idempotent
          return;
        }
        versions.put(tableName, c.currentVersion());
        throw new ConcurrentTableChangeException(tableName, c.currentVersion(), "table " + tableName + " changed before its delete");
      }
      default -> throw new IllegalStateException("unexpected reply to a table delete: " + reply);
    }
  }

  @Override
  public long nextTableId() {
    return tableIds.next();
  }

  @Override
  public long nextPartitionId() {
    return partitionIds.next();
  }
}
