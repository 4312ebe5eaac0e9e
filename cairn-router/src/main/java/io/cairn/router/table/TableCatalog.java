package io.cairn.router.table;

import io.cairn.core.error.DynamoDbException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;

/**
 * The tables of this node, by name. Reads are lock-free (every request looks up its table);
 * changes are serialised and written to the {@link CatalogStore} before they become visible.
 */
public final class TableCatalog {
  private final CatalogStore store;
  private final ConcurrentSkipListMap<String, TableDefinition> tables = new ConcurrentSkipListMap<>();

  public TableCatalog(CatalogStore store) {
    this.store = store;
    for (byte[] entry : store.loadAll()) {
      TableDefinition table = TableCodec.decode(entry);
      tables.put(table.name(), table);
    }
  }

  /** The table, or null. */
  public TableDefinition find(String name) {
    return tables.get(name);
  }

  /** The table, or DynamoDB's ResourceNotFoundException for item operations. */
  public TableDefinition require(String name) {
    TableDefinition table = tables.get(name);
    if (table == null) {
      throw DynamoDbException.resourceNotFound("Requested resource not found");
    }
    return table;
  }

  /** The table, or DynamoDB's ResourceNotFoundException as table operations word it. */
  public TableDefinition requireForTableOperation(String name) {
    TableDefinition table = tables.get(name);
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
  }

  /** Applies {@code change} to the current definition, persists and publishes the result. */
  public synchronized TableDefinition update(String name, UnaryOperator<TableDefinition> change) {
    TableDefinition current = requireForTableOperation(name);
    TableDefinition next = change.apply(current);
    store.put(name, TableCodec.encode(next));
    tables.put(name, next);
    return next;
  }

  public synchronized void remove(String name) {
    store.remove(name);
    tables.remove(name);
  }

  public long nextTableId() {
    return store.nextTableId();
  }

  public long nextPartitionId() {
    return store.nextPartitionId();
  }
}
