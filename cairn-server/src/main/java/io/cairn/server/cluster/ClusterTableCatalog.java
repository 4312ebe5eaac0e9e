package io.cairn.server.cluster;

import io.cairn.core.error.DynamoDbException;
import io.cairn.metadata.IdBlock;
import io.cairn.metadata.IdKind;
import io.cairn.metadata.MetadataClient;
import io.cairn.metadata.MetadataReply;
import io.cairn.metadata.MetadataUnavailableException;
import io.cairn.metadata.RoutingCache;
import io.cairn.metadata.TableRecord;
import io.cairn.router.table.CatalogStore;
import io.cairn.router.table.TableCatalog;
import io.cairn.router.table.TableCodec;
import io.cairn.router.table.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A router's table catalog in a cluster: the metadata service holds the tables, so that any router
 * serves any table and sees changes other routers made.
 *
 * <ul>
 *   <li>Lookups go through the {@link RoutingCache}: answered from the cache when it holds the
 *       table, and sent to the service either way (constant work). Decoded definitions are kept by
 *       version, so a hit costs no JSON parsing.
 *   <li>Changes are compare-and-set on the version read just before (a linearizable read, not the
 *       cache): two routers changing one table cannot both win; the loser re-reads and re-applies
 *       its change, at most {@link #CHANGE_ATTEMPTS_MAX} times.
 *   <li>Table operations (DescribeTable, DeleteTable, tags) read the table from the service
 *       linearizably, not from the cache: the cache learns of another router's change one request
 *       late, and a table operation must not act on a stale definition (DeleteTable through router-2
 *       right after UpdateTable enabled deletion protection through router-1 would otherwise delete
 *       a protected table). They are rare, so the extra read costs nothing that matters.
 *   <li>Ids come from the service in blocks of {@link #ID_BLOCK}; unused ids of a block are skipped.
 * </ul>
 */
final class ClusterTableCatalog extends TableCatalog {
  static final int CHANGE_ATTEMPTS_MAX = 8;
  static final int ID_BLOCK = 16;

  private final MetadataClient metadata;
  private final RoutingCache cache;
  private final ConcurrentHashMap<String, Decoded> decoded = new ConcurrentHashMap<>();
  private final IdBlock tableIds;
  private final IdBlock partitionIds;

  private record Decoded(long version, TableDefinition table) {}

  ClusterTableCatalog(MetadataClient metadata, RoutingCache cache) {
    super(NO_LOCAL_STORE);
    this.metadata = metadata;
    this.cache = cache;
    this.tableIds = new IdBlock(metadata, IdKind.TABLE, ID_BLOCK);
    this.partitionIds = new IdBlock(metadata, IdKind.PARTITION, ID_BLOCK);
  }

  @Override
  public TableDefinition find(String name) {
    TableRecord record;
    try {
      record = cache.table(name);
    } catch (MetadataUnavailableException e) {
      throw unavailable(e);
    }
    return record == null ? null : decode(record);
  }

  /** The current definition, read linearizably from the service (see the class comment). */
  @Override
  public TableDefinition findCurrent(String name) {
    MetadataReply reply = call(() -> metadata.getTable(name));
    Decoded known = decoded.get(name);
    if (reply instanceof MetadataReply.TableFound found) {
      if (known != null && known.version() != found.table().version()) {
        cache.invalidate(name); // this router's item operations catch up at once too
      }
      return decode(found.table());
    }
    if (known != null) {
      cache.invalidate(name);
      decoded.remove(name);
    }
    return null;
  }

  private TableDefinition decode(TableRecord record) {
    Decoded known = decoded.get(record.name());
    if (known != null && known.version() == record.version()) {
      return known.table();
    }
    TableDefinition table = TableCodec.decode(record.definition());
    decoded.put(record.name(), new Decoded(record.version(), table));
    return table;
  }

  @Override
  public List<TableDefinition> all() {
    List<TableDefinition> tables = new ArrayList<>();
    try {
      for (TableRecord record : metadata.listTables().tables()) {
        tables.add(decode(record));
      }
    } catch (MetadataUnavailableException e) {
      throw unavailable(e);
    }
    return tables;
  }

  @Override
  public List<String> namesAfter(String exclusiveStart, int limit) {
    List<String> names = new ArrayList<>();
    for (TableDefinition table : all()) {
      if (names.size() == limit) {
        break;
      }
      if (exclusiveStart == null || table.name().compareTo(exclusiveStart) > 0) {
        names.add(table.name());
      }
    }
    return names;
  }

  @Override
  public boolean hasMoreAfter(String name) {
    return all().stream().anyMatch(t -> t.name().compareTo(name) > 0);
  }

  @Override
  public void create(TableDefinition table) {
    refuseGlobalIndexes(table);
    MetadataReply reply = call(() -> metadata.createTable(table.name(), TableCodec.encode(table)));
    switch (reply) {
      case MetadataReply.TableWritten written -> cache.invalidate(table.name());
      case MetadataReply.AlreadyExists exists -> throw DynamoDbException.resourceInUse("Table already exists: " + table.name());
      default -> throw DynamoDbException.internal("metadata service refused the table: " + reply);
    }
  }

  @Override
  public TableDefinition update(String name, UnaryOperator<TableDefinition> change) {
    for (int attempt = 1; ; attempt++) {
      MetadataReply current = call(() -> metadata.getTable(name));
      if (!(current instanceof MetadataReply.TableFound found)) {
        throw DynamoDbException.resourceNotFound("Requested resource not found: Table: " + name + " not found");
      }
      TableDefinition next = change.apply(decode(found.table()));
      refuseGlobalIndexes(next);
      MetadataReply reply = call(() -> metadata.compareAndSetTable(name, found.table().version(), TableCodec.encode(next)));
      if (reply instanceof MetadataReply.TableWritten) {
        cache.invalidate(name);
        return next;
      }
      if (!(reply instanceof MetadataReply.Conflict) || attempt == CHANGE_ATTEMPTS_MAX) {
        throw DynamoDbException.internal("table " + name + " kept changing under this update: " + reply);
      }
    }
  }

  /**
   * Deletes the table by compare-and-set on the version that is checked for deletion protection
   * here, so that protection enabled through another router after the caller's check still wins.
   */
  @Override
  public void remove(String name) {
    for (int attempt = 1; ; attempt++) {
      MetadataReply current = call(() -> metadata.getTable(name));
      if (!(current instanceof MetadataReply.TableFound found)) {
        // Another router deleted it since this request read it: DynamoDB answers the second delete so.
        throw DynamoDbException.resourceNotFound("Requested resource not found: Table: " + name + " not found");
      }
      if (decode(found.table()).deletionProtection()) {
        throw DynamoDbException.validation(
            "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
      }
      MetadataReply reply = call(() -> metadata.deleteTable(name, found.table().version()));
      if (reply instanceof MetadataReply.TableDeleted) {
        cache.invalidate(name);
        decoded.remove(name);
        return;
      }
      if (!(reply instanceof MetadataReply.Conflict) || attempt == CHANGE_ATTEMPTS_MAX) {
        throw DynamoDbException.internal("table " + name + " kept changing under this delete: " + reply);
      }
    }
  }

  @Override
  public long nextTableId() {
    return call(tableIds::next);
  }

  @Override
  public long nextPartitionId() {
    return call(partitionIds::next);
  }

  /**
   * GSIs are maintained by a propagator that, today, reads the base partition's outbox on the
   * node that applied it and writes the index on the same node: it does not reach index partitions
   * on other nodes yet (docs/compatibility.md).
   */
  private static void refuseGlobalIndexes(TableDefinition table) {
    if (!table.globalIndexes().isEmpty()) {
      throw DynamoDbException.validation(
          "Global secondary indexes are not supported yet by a multi-node Cairn cluster; use the single-process server");
    }
  }

  private static <T> T call(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (MetadataUnavailableException e) {
      throw unavailable(e);
    }
  }

  private static DynamoDbException unavailable(MetadataUnavailableException e) {
    return new DynamoDbException(io.cairn.core.error.ErrorType.SERVICE_UNAVAILABLE,
        "The metadata service is unavailable; retry the request (" + e.getMessage() + ")");
  }

  /** The superclass's local store: a router keeps nothing on disk. */
  private static final CatalogStore NO_LOCAL_STORE = new CatalogStore() {
    @Override
    public List<byte[]> loadAll() {
      return List.of();
    }

    @Override
    public void put(String tableName, byte[] definition) {
      throw new UnsupportedOperationException("a cluster router stores tables in the metadata service");
    }

    @Override
    public void remove(String tableName) {
      throw new UnsupportedOperationException("a cluster router stores tables in the metadata service");
    }

    @Override
    public long nextTableId() {
      throw new UnsupportedOperationException();
    }

    @Override
    public long nextPartitionId() {
      throw new UnsupportedOperationException();
    }
  };
}
