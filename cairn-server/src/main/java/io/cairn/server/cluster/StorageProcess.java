package io.cairn.server.cluster;

import io.cairn.core.Invariants;
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
import io.cairn.storage.LogId;
import io.cairn.storage.StorageBatch;
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
 * partitions assigned to this node with those it hosts ({@link ReplicaPlan}), adds the missing
 * divisions (every member of a new group does so on its own; the group elects a leader once two
 * have), adds an empty division where a replacement is being filled on this node (the group's
 * leader fills it and brings it in), and removes, with their items, the divisions of deleted tables
 * and those whose replica was replaced while this node was away (once the group confirms it).
 * Auto-admin decides the assignments; nodes only follow them.
 */
public final class StorageProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StorageProcess.class);
  static final long RECONCILE_INTERVAL_MS = 200;
  static final long HEARTBEAT_INTERVAL_MS = 500;
  /**
   * One group-info call while confirming that a replaced replica left its group. The reconcile
   * thread also sends the heartbeats (a node silent for 3 s is DOWN), so at most one partition is
   * confirmed per round: three members at most cost 1.5 s.
   */
  static final long CONFIRM_TIMEOUT_MS = 500;

  /** What a replica occupies in the engine: its hash range in the table's keyspace and its LSIs'. */
  private record ReplicaKeys(KeyspaceId base, HashRange hashes, List<KeyspaceId> localIndexes) {}

  private final ProcessSpec self;
  private final StorageEngine engine;
  private final MetadataClient metadata;
  private final ClusterIndexCatalog indexes;
  private final Map<PartitionId, KeyRange> ranges = new ConcurrentHashMap<>();
  private final Map<PartitionId, ReplicaKeys> replicaKeys = new ConcurrentHashMap<>();
  /** Drops not confirmed yet, each logged once. */
  private final Set<PartitionId> unconfirmedDrops = new HashSet<>();
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
        topology.settings().replication(), process.ranges::get,
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
      KeyspaceId base = KeyspaceId.of(table.tableId());
      List<KeyspaceId> locals = table.indexes().stream().filter(i -> !i.global()).map(i -> i.keyspace()).toList();
      for (PartitionRange range : table.partitions()) {
        HashRange hashes = new HashRange(range.hashLow(), range.hashHigh());
        ranges.putIfAbsent(range.partitionId(), KeyCodec.hashRange(base, hashes));
        replicaKeys.putIfAbsent(range.partitionId(), new ReplicaKeys(base, hashes, locals));
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
    List<ReplicaPlan.Step> steps = ReplicaPlan.plan(self.name(), assignments, hosted,
        () -> partitionsOf(metadata.listTables().tables()));
    Map<String, String> addresses = null;
    boolean confirmedThisRound = false;
    for (ReplicaPlan.Step step : steps) {
      PartitionId partitionId = step.partitionId();
      if ((step instanceof ReplicaPlan.Step.Create || step instanceof ReplicaPlan.Step.Join
          || step instanceof ReplicaPlan.Step.Drop) && addresses == null) {
        addresses = new HashMap<>();
        for (NodeRecord n : metadata.listNodes().nodes()) {
          addresses.put(n.nodeId(), n.address());
        }
      }
      try {
        switch (step) {
          case ReplicaPlan.Step.Create create -> {
            prepareFreshReplica(partitionId);
            node.addReplica(partitionId, peers(create.members(), addresses));
          }
          case ReplicaPlan.Step.Join join -> {
            prepareFreshReplica(partitionId);
            node.joinReplica(partitionId);
            LOG.atInfo().setMessage("replica joining: empty, to be filled by its group").addKeyValue("node", self.name())
                .addKeyValue("partition", partitionId.toString()).addKeyValue("replacing", join.replacing())
                .addKeyValue("group", join.members()).log();
          }
          case ReplicaPlan.Step.Drop drop -> {
            // One confirmation per round: each asks the group's members (bounded by
            // CONFIRM_TIMEOUT_MS apiece) and this thread also sends the heartbeats.
            if (confirmedThisRound) {
              continue;
            }
            confirmedThisRound = true;
            dropIfReplaced(partitionId, peers(drop.members(), addresses));
          }
          case ReplicaPlan.Step.DropDeleted deleted -> {
            node.removeReplica(partitionId);
            boolean itemsDeleted = forget(partitionId);
            LOG.atInfo().setMessage("replica removed: its table is gone").addKeyValue("node", self.name())
                .addKeyValue("partition", partitionId.toString()).addKeyValue("itemsDeleted", itemsDeleted).log();
          }
          case ReplicaPlan.Step.KeepUnassigned kept ->
              // Deleting a replica's items is irreversible: not merely because an assignment is
              // missing (a metadata service restored from an old snapshot, say).
              LOG.atWarn().setMessage("replica kept: not assigned to this node, but its table exists")
                  .addKeyValue("node", self.name()).addKeyValue("partition", partitionId.toString()).log();
        }
      } catch (MetadataUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        // One partition that cannot be created here (e.g. out of direct memory for its log buffer)
        // must not stop this node from creating the others: each is tried again next round.
        LOG.atError().setMessage("replica step failed").addKeyValue("node", self.name())
            .addKeyValue("partition", partitionId.toString()).addKeyValue("step", step.getClass().getSimpleName())
            .addKeyValue("error", String.valueOf(e)).log();
      }
    }
  }

  private static List<ReplicaPeer> peers(List<String> nodeIds, Map<String, String> addresses) {
    List<ReplicaPeer> peers = new ArrayList<>();
    for (String nodeId : nodeIds) {
      String address = addresses.get(nodeId);
      if (address == null) {
        throw new IllegalStateException("node " + nodeId + " is not registered");
      }
      peers.add(ReplicaPeer.full(nodeId, address));
    }
    return peers;
  }

  /**
   * Before this node creates a replica: learns the partition's key range (its snapshots need it),
   * and clears anything an earlier replica of the same partition left in the engine (a replica that
   * found a stale applied index would skip the entries below it as applied).
   */
  private void prepareFreshReplica(PartitionId partitionId) {
    if (engine.appliedIndex(LogId.of(partitionId)).value() > 0) {
      if (!replicaKeys.containsKey(partitionId)) {
        learnTables(metadata.listTables().tables());
      }
      boolean cleared = forget(partitionId);
      Invariants.check(cleared, "node %s: partition %s left an applied index but its keys are unknown", self.name(),
          partitionId);
      LOG.atWarn().setMessage("leftovers of an earlier replica cleared before creating a new one")
          .addKeyValue("node", self.name()).addKeyValue("partition", partitionId.toString()).log();
    }
    if (!ranges.containsKey(partitionId)) {
      learnTables(metadata.listTables().tables()); // forget() dropped them, or the table is new
    }
  }

  /**
   * Drops this node's replica of a partition that the metadata service assigns to others, once the
   * group confirms it: a member that leads answers, and no member that answers counts this node in
   * its configuration. Until then the replica is kept (and the question asked again next round).
   */
  private void dropIfReplaced(PartitionId partitionId, List<ReplicaPeer> members) {
    Map<String, PartitionMembership.View> views = PartitionMembership.views(partitionId, members, CONFIRM_TIMEOUT_MS);
    boolean leaderAnswered = views.values().stream().anyMatch(PartitionMembership.View::leads);
    boolean stillMember = views.values().stream()
        .anyMatch(v -> v.members().contains(self.name()) || v.oldMembers().contains(self.name()));
    if (!leaderAnswered || stillMember) {
      if (unconfirmedDrops.add(partitionId)) {
        LOG.atWarn().setMessage("replica kept: assigned to others, but its group does not confirm it left")
            .addKeyValue("node", self.name()).addKeyValue("partition", partitionId.toString())
            .addKeyValue("leaderAnswered", leaderAnswered).addKeyValue("stillMember", stillMember)
            .addKeyValue("group", members.stream().map(ReplicaPeer::nodeId).toList()).log();
      }
      return;
    }
    unconfirmedDrops.remove(partitionId);
    node.removeReplica(partitionId);
    boolean itemsDeleted = forget(partitionId);
    LOG.atInfo().setMessage("replica removed: replaced while this node was away").addKeyValue("node", self.name())
        .addKeyValue("partition", partitionId.toString()).addKeyValue("group", members.stream().map(ReplicaPeer::nodeId)
            .toList()).addKeyValue("itemsDeleted", itemsDeleted).log();
  }

  /** Deletes the partition's items and records from the engine; false when its keys are unknown. */
  private boolean forget(PartitionId partitionId) {
    ranges.remove(partitionId);
    ReplicaKeys keys = replicaKeys.remove(partitionId);
    if (keys == null) {
      return false;
    }
    try (StorageBatch batch = engine.newBatch()) {
      PartitionApplier.forgetReplica(engine, batch, partitionId, keys.base(), keys.hashes(), keys.localIndexes());
      engine.commit(batch, Durability.PROCESS_CRASH_SAFE);
    }
    return true;
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
