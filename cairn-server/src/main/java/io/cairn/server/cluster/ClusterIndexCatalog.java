package io.cairn.server.cluster;

import io.cairn.metadata.MetadataClient;
import io.cairn.metadata.TableRecord;
import io.cairn.partition.index.IndexCatalog;
import io.cairn.partition.index.IndexSpec;
import io.cairn.partition.index.TableIndexes;
import io.cairn.router.table.IndexDefinition;
import io.cairn.router.table.TableCatalog;
import io.cairn.router.table.TableCodec;
import io.cairn.router.table.TableDefinition;
import io.cairn.storage.KeyspaceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A storage node's view of the tables' local secondary indexes, for its partitions' appliers.
 *
 * <p>Every replica must apply a write with the same indexes, or the replicas diverge. That holds
 * because an LSI is fixed when its table is created, table ids are never reused, and a router can
 * send a write only after the table exists: whenever an applier meets a table it does not know,
 * it asks the metadata service (synchronously, on the apply thread) and the answer cannot differ
 * from what any other replica got. GSIs are refused in a cluster for now (ClusterTableCatalog).
 */
final class ClusterIndexCatalog implements IndexCatalog {
  private final MetadataClient metadata;
  /** By base keyspace: the table's indexes, or empty for a table without any. */
  private final ConcurrentHashMap<KeyspaceId, Optional<TableIndexes>> byKeyspace = new ConcurrentHashMap<>();

  ClusterIndexCatalog(MetadataClient metadata) {
    this.metadata = metadata;
  }

  @Override
  public TableIndexes indexesOf(KeyspaceId baseKeyspace) {
    Optional<TableIndexes> known = byKeyspace.get(baseKeyspace);
    if (known == null) {
      refresh(metadata.listTables().tables());
      known = byKeyspace.getOrDefault(baseKeyspace, Optional.empty());
    }
    return known.orElse(null);
  }

  @Override
  public IndexSpec globalIndex(KeyspaceId indexKeyspace) {
    return null;
  }

  /** Learns the tables listed (called with every listing the node makes anyway). */
  void refresh(List<TableRecord> tables) {
    for (TableRecord record : tables) {
      TableDefinition table = TableCodec.decode(record.definition());
      KeyspaceId keyspace = KeyspaceId.of(table.tableId());
      if (byKeyspace.containsKey(keyspace)) {
        continue;
      }
      List<IndexSpec> locals = new ArrayList<>();
      for (IndexDefinition index : table.localIndexes()) {
        locals.add(index.spec(table));
      }
      byKeyspace.put(keyspace, locals.isEmpty() ? Optional.empty()
          : Optional.of(new TableIndexes(locals, List.of(), TableCatalog.ITEM_COLLECTION_BYTES_MAX_DEFAULT)));
    }
  }
}
