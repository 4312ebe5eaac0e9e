package io.cairn.router.table;

import io.cairn.core.error.DynamoDbException;
import io.cairn.partition.index.IndexCatalog;
import io.cairn.partition.index.IndexSpec;
import io.cairn.partition.index.TableIndexes;
import io.cairn.storage.KeyspaceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;

/**
 * The tables of this node, by name. Reads are lock-free (every request looks up its table);
 * changes are serialised and written to the {@link CatalogStore} before they become visible.
 *
 * <p>In a cluster a router's catalog is the metadata service's: a subclass answers lookups from
 * the routing cache and makes changes by compare-and-set there (cairn-server's
 * {@code ClusterTableCatalog}); every lookup therefore goes through {@link #find}.
 */
public class TableCatalog implements IndexCatalog {
  /** DynamoDB's item-collection size limit for tables with LSIs: 10 GB. */
  public static final long ITEM_COLLECTION_BYTES_MAX_DEFAULT = 10L * 1024 * 1024 * 1024;

  private final CatalogStore store;
  private final long itemCollectionBytesMax;
  private final ConcurrentSkipListMap<String, TableDefinition> tables = new ConcurrentSkipListMap<>();
  /** Derived from {@link #tables} on every change: what the partitions' appliers look up per write. */
  private volatile Map<KeyspaceId, TableIndexes> indexesByTable = Map.of();
  private volatile Map<KeyspaceId, IndexSpec> globalsByKeyspace = Map.of();

  public TableCatalog(CatalogStore store) {
    this(store, ITEM_COLLECTION_BYTES_MAX_DEFAULT);
  }

  public TableCatalog(CatalogStore store, long itemCollectionBytesMax) {
    this.store = store;
    this.itemCollectionBytesMax = itemCollectionBytesMax;
    for (byte[] entry : store.loadAll()) {
      TableDefinition table = TableCodec.decode(entry);
      tables.put(table.name(), table);
    }
    rebuildIndexes();
  }

  @Override
  public TableIndexes indexesOf(KeyspaceId baseKeyspace) {
    return indexesByTable.get(baseKeyspace);
  }

  @Override
  public IndexSpec globalIndex(KeyspaceId indexKeyspace) {
    return globalsByKeyspace.get(indexKeyspace);
  }

  public long itemCollectionBytesMax() {
    return itemCollectionBytesMax;
  }

  private void rebuildIndexes() {
    Map<KeyspaceId, TableIndexes> byTable = new HashMap<>();
    Map<KeyspaceId, IndexSpec> globals = new HashMap<>();
    for (TableDefinition table : tables.values()) {
      if (table.indexes().isEmpty()) {
        continue;
      }
      List<IndexSpec> locals = new ArrayList<>();
      List<IndexSpec> global = new ArrayList<>();
      for (IndexDefinition index : table.indexes()) {
        IndexSpec spec = index.spec(table);
        if (index.global()) {
          global.add(spec);
          globals.put(spec.keyspace(), spec);
        } else {
          locals.add(spec);
        }
      }
      byTable.put(KeyspaceId.of(table.tableId()), new TableIndexes(locals, global, itemCollectionBytesMax));
    }
    indexesByTable = Map.copyOf(byTable);
    globalsByKeyspace = Map.copyOf(globals);
  }

  /** The table, or null. */
  public TableDefinition find(String name) {
    return tables.get(name);
  }

  /** The table, or DynamoDB's ResourceNotFoundException for item operations. */
  public TableDefinition require(String name) {
    TableDefinition table = find(name);
    if (table == null) {
      throw DynamoDbException.resourceNotFound("Requested resource not found");
    }
    return table;
  }

  /**
   * The table as it is now, or null, for table operations (DescribeTable, DeleteTable, tags). In
   * one process that is {@link #find}; a cluster router's catalog reads the metadata service
   * instead of its routing cache, which learns of another router's change one request late.
   */
  public TableDefinition findCurrent(String name) {
    return find(name);
  }

  /** The table as it is now ({@link #findCurrent}), or ResourceNotFoundException as table operations word it. */
  public TableDefinition requireForTableOperation(String name) {
    TableDefinition table = findCurrent(name);
    if (table == null) {
      throw DynamoDbException.resourceNotFound("Requested resource not found: Table: " + name + " not found");
    }
    return table;
  }

  public List<TableDefinition> all() {
    return new ArrayList<>(tables.values());
  }

  /** Names in ascending order after {@code exclusiveStart} (null: from the beginning). */
  public List<String> namesAfter(String exclusiveStart, int limit) {
    var view = exclusiveStart == null ? tables : tables.tailMap(exclusiveStart, false);
    List<String> names = new ArrayList<>(Math.min(limit, view.size()));
    for (String name : view.keySet()) {
      if (names.size() == limit) {
        break;
      }
      names.add(name);
    }
    return names;
  }

  public boolean hasMoreAfter(String name) {
    return tables.higherKey(name) != null;
  }

  public synchronized void create(TableDefinition table) {
    if (tables.containsKey(table.name())) {
      throw DynamoDbException.resourceInUse("Table already exists: " + table.name());
    }
    store.put(table.name(), TableCodec.encode(table));
    tables.put(table.name(), table);
    rebuildIndexes();
  }

  /** Applies {@code change} to the current definition, persists and publishes the result. */
  public synchronized TableDefinition update(String name, UnaryOperator<TableDefinition> change) {
    TableDefinition current = requireForTableOperation(name);
    TableDefinition next = change.apply(current);
    store.put(name, TableCodec.encode(next));
    tables.put(name, next);
    rebuildIndexes();
    return next;
  }

  public synchronized void remove(String name) {
    store.remove(name);
    tables.remove(name);
    rebuildIndexes();
  }

  public long nextTableId() {
    return store.nextTableId();
  }

  public long nextPartitionId() {
    return store.nextPartitionId();
  }
}
