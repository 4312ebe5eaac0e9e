package io.cairn.server.cluster;

import io.cairn.core.id.PartitionId;
import io.cairn.metadata.MetadataClient;
import io.cairn.metadata.MetadataUnavailableException;
import io.cairn.metadata.NodeRecord;
import io.cairn.metadata.PartitionReplicas;
import io.cairn.metadata.RatisMetadataClient;
import io.cairn.metadata.TableRecord;
import io.cairn.partition.PartitionApplier;
import io.cairn.replication.ReplicaPeer;
import io.cairn.replication.ReplicationOptions;
import io.cairn.replication.StorageNode;
import io.cairn.router.table.PartitionRange;
import io.cairn.router.table.TableCodec;
import io.cairn.router.table.TableDefinition;
import io.cairn.storage.Durability;
import io.cairn.storage.HashRange;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyRange;
import io.cairn.storage.KeyspaceId;
import io.cairn.storage.StorageEngine;
import io.cairn.storage.StorageOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A storage node process: one RocksDB, one Ratis server with a division per partition replica,
 * registered with the metadata service and heartbeating to it (with the partitions it leads).
 *
 * <p>Replicas follow the metadata service's assignments, declaratively: a reconciler compares the
 * partitions assigned to this node with those it hosts, adds the missing divisions (every member
 * of a new group does so on its own; the group elects a leader once two have) and removes those no
 * longer assigned, with their items. Auto-admin decides the assignments; nodes only follow them.
 */
public final class StorageProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StorageProcess.class);
  static final long RECONCILE_INTERVAL_MS = 200;
  static final long HEARTBEAT_INTERVAL_MS = 500;

  private final ProcessSpec self;
  private final StorageEngine engine;
  private final MetadataClient metadata;
  private final ClusterIndexCatalog indexes;
  private final Map<PartitionId, KeyRange> ranges = new ConcurrentHashMap<>();
  private final ScheduledExecutorService loop;
  private StorageNode node;
  private long lastHeartbeatNanos;

  private StorageProcess(ProcessSpec self, StorageEngine engine, MetadataClient metadata) {
    this.self = self;
    this.engine = engine;
    this.metadata = metadata;
    this.indexes = new ClusterIndexCatalog(metadata);
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "cairn-storage-reconciler");
      thread.setDaemon(true);
      return thread;
    });
  }

  public static StorageProcess start(ClusterTopology topology, ProcessSpec self) {
    StorageEngine engine = StorageEngine.open(self.dataDir().resolve("engine"), StorageOptions.defaults());
    MetadataClient metadata = new RatisMetadataClient(ClusterPeers.metadataPeers(topology),
        ClusterPeers.METADATA_REQUEST_TIMEOUT_MS);
    StorageProcess process = new StorageProcess(self, engine, metadata);
    // The divisions this node hosted come back as the Ratis server starts; their snapshots need the
    // partitions' key ranges, so learn the tables first (waiting for the metadata group to elect).
    process.learnTables(awaitTables(metadata));
    process.node = StorageNode.start(self.name(), self.host(), self.port(), self.dataDir().resolve("ratis"), engine,
        ReplicationOptions.defaults(), process.ranges::get,
        partitionId -> new PartitionApplier(engine, process.indexes, PartitionApplier.OutboxListener.NONE));
    metadata.registerNode(self.name(), self.az(), self.address(), System.currentTimeMillis());
    process.loop.scheduleWithFixedDelay(process::tick, 0, RECONCILE_INTERVAL_MS, TimeUnit.MILLISECONDS);
    LOG.atInfo().setMessage("storage node started").addKeyValue("node", self.name()).addKeyValue("az", self.az())
        .addKeyValue("address", self.address()).addKeyValue("partitions", process.node.partitions().size()).log();
    return process;
  }

  private static List<TableRecord> awaitTables(MetadataClient metadata) {
    while (true) {
      try {
        return metadata.listTables().tables();
      } catch (MetadataUnavailableException e) {
        LOG.info("waiting for the metadata service: {}", e.getMessage());
      }
    }
  }

  private void learnTables(List<TableRecord> tables) {
    indexes.refresh(tables);
    for (TableRecord record : tables) {
      TableDefinition table = TableCodec.decode(record.definition());
      for (PartitionRange range : table.partitions()) {
        ranges.putIfAbsent(range.partitionId(), KeyCodec.hashRange(KeyspaceId.of(table.tableId()),
            new HashRange(range.hashLow(), range.hashHigh())));
      }
    }
  }

  private void tick() {
    try {
      if (System.nanoTime() - lastHeartbeatNanos >= HEARTBEAT_INTERVAL_MS * 1_000_000) {
        List<PartitionId> leading = node.partitions().stream().filter(node::isLeader).toList();
        metadata.heartbeat(self.name(), System.currentTimeMillis(), leading);
        lastHeartbeatNanos = System.nanoTime();
      }
      reconcile();
    } catch (MetadataUnavailableException e) {
      LOG.warn("node {}: metadata service unavailable: {}", self.name(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("node {}: reconcile failed", self.name(), e);
    }
  }

  private void reconcile() {
    List<PartitionReplicas> assignments = metadata.listPartitions().partitions();
    Set<PartitionId> hosted = new HashSet<>(node.partitions());
    Set<PartitionId> assigned = new HashSet<>();
    Map<String, String> addresses = null;
    for (PartitionReplicas assignment : assignments) {
      if (!assignment.replicaNodeIds().contains(self.name())) {
        continue;
      }
      assigned.add(assignment.partitionId());
      if (hosted.contains(assignment.partitionId())) {
        continue;
      }
      if (!ranges.containsKey(assignment.partitionId())) {
        learnTables(metadata.listTables().tables());
      }
      if (addresses == null) {
        addresses = new HashMap<>();
        for (NodeRecord n : metadata.listNodes().nodes()) {
          addresses.put(n.nodeId(), n.address());
        }
      }
      List<ReplicaPeer> peers = new ArrayList<>();
      for (String nodeId : assignment.replicaNodeIds()) {
        peers.add(ReplicaPeer.full(nodeId, addresses.get(nodeId)));
      }
      try {
        node.addReplica(assignment.partitionId(), peers);
      } catch (RuntimeException e) {
        // One partition that cannot be created here (e.g. out of direct memory for its log buffer)
        // must not stop this node from creating the others: each is tried again next round.
        LOG.atError().setMessage("replica not added").addKeyValue("node", self.name())
            .addKeyValue("partition", assignment.partitionId().toString()).addKeyValue("error", String.valueOf(e))
            .log();
      }
    }
    Set<PartitionId> ofLiveTables = null;
    for (PartitionId partitionId : hosted) {
      if (!assigned.contains(partitionId)) {
        // Deleting a replica's items is irreversible: do it only when the partition's table is
        // gone too, not merely because an assignment is missing (a metadata service restored from
        // an old snapshot, say). An unassigned partition of a live table is left alone and logged.
        if (ofLiveTables == null) {
          ofLiveTables = partitionsOf(metadata.listTables().tables());
        }
        if (ofLiveTables.contains(partitionId)) {
          LOG.atWarn().setMessage("replica kept: not assigned to this node, but its table exists")
              .addKeyValue("node", self.name()).addKeyValue("partition", partitionId.toString()).log();
          continue;
        }
        node.removeReplica(partitionId);
        KeyRange range = ranges.remove(partitionId);
        if (range != null) {
          engine.deleteRange(range, Durability.PROCESS_CRASH_SAFE, true);
        }
        LOG.atInfo().setMessage("replica removed").addKeyValue("node", self.name())
            .addKeyValue("partition", partitionId.toString()).addKeyValue("itemsDeleted", range != null).log();
      }
    }
  }

  private static Set<PartitionId> partitionsOf(List<TableRecord> tables) {
    Set<PartitionId> partitions = new HashSet<>();
    for (TableRecord record : tables) {
      for (PartitionRange range : TableCodec.decode(record.definition()).partitions()) {
        partitions.add(range.partitionId());
      }
    }
    return partitions;
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      node.close();
    } catch (Exception e) {
      LOG.warn("node {} did not close cleanly", self.name(), e);
    }
    metadata.close();
    engine.close();
  }
}
