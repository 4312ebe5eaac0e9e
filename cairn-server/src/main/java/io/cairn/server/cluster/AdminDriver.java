package io.cairn.server.cluster;

import io.cairn.admin.AdminConfig;
import io.cairn.admin.AutoAdmin;
import io.cairn.admin.AzId;
import io.cairn.admin.ClusterView;
import io.cairn.admin.Decision;
import io.cairn.admin.NodeId;
import io.cairn.admin.PartitionView;
import io.cairn.admin.Replica;
import io.cairn.core.id.PartitionId;
import io.cairn.metadata.MetadataClient;
import io.cairn.metadata.MetadataCommand;
import io.cairn.metadata.MetadataReply;
import io.cairn.metadata.NodeHealth;
import io.cairn.metadata.NodeRecord;
import io.cairn.metadata.PartitionReplicas;
import io.cairn.metadata.TableRecord;
import io.cairn.replication.PartitionGroups;
import io.cairn.replication.ReplicaPeer;
import io.cairn.router.table.PartitionRange;
import io.cairn.router.table.TableCodec;
import io.cairn.router.table.TableDefinition;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftPeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs auto-admin's decisions ({@link AutoAdmin}, a pure function) against the cluster, on the
 * metadata member that currently leads: each round reads tables, nodes and assignments, judges
 * nodes by their heartbeats, and enacts what {@code decide} returns — placing new partitions
 * (an assignment in the metadata service; the storage nodes then create the group), moving
 * leadership (Ratis's transfer-leadership through an admin client of the group) and unassigning
 * partitions whose table is gone. Replacing the replicas of a dead node (AddReplica, RemoveReplica)
 * is decided but not enacted yet: it is logged once per decision (docs/cluster.md).
 */
final class AdminDriver {
  private static final Logger LOG = LoggerFactory.getLogger(AdminDriver.class);
  /** Pause between rounds (each reads tables, nodes and assignments from the service). */
  static final long ROUND_INTERVAL_MS = 250;
  /** A node whose last heartbeat is older than this is DOWN. */
  static final long NODE_DOWN_AFTER_MS = 3_000;
  /** Replicas one storage node may host (auto-admin places no more there). */
  static final int REPLICAS_PER_NODE_MAX = 1_000;
  /** How long a leadership transfer counts as in flight before auto-admin may decide again. */
  static final long TRANSFER_IN_FLIGHT_MS = 10_000;
  static final long TRANSFER_TIMEOUT_MS = 3_000;
  /**
   * Leadership is moved to a node only after it has been heartbeating for this long. A node just
   * back from a crash is still catching up its replicas' logs; handing it leadership stalls the
   * partition's writes while Ratis waits for it to catch up (seen in the failover test as
   * InternalServerErrors right after the restart).
   */
  static final long LEADER_TARGET_SETTLE_MS = 30_000;

  private final MetadataClient metadata;
  private final AutoAdmin admin = new AutoAdmin(AdminConfig.cluster());
  private final InstantSource clock;
  private final Map<PartitionId, Long> transfersSinceMs = new HashMap<>();
  private final Map<PartitionId, Decision> transfers = new HashMap<>();
  private final Set<String> loggedUnenacted = new HashSet<>();
  /** Since when each node has been heartbeating without a gap (this driver's own observation). */
  private final Map<String, Long> upSinceMs = new HashMap<>();

  AdminDriver(MetadataClient metadata, InstantSource clock) {
    this.metadata = metadata;
    this.clock = clock;
  }

  /** One round; call it only while this member leads the metadata group. */
  void round() {
    long nowMs = clock.millis();
    List<TableRecord> tables = metadata.listTables().tables();
    List<NodeRecord> nodes = metadata.listNodes().nodes();
    Map<PartitionId, PartitionReplicas> assignments = new HashMap<>();
    for (PartitionReplicas p : metadata.listPartitions().partitions()) {
      assignments.put(p.partitionId(), p);
    }
    judgeNodes(nodes, nowMs);
    Set<PartitionId> live = new HashSet<>();
    for (TableRecord record : tables) {
      TableDefinition table = TableCodec.decode(record.definition());
      for (PartitionRange range : table.partitions()) {
        live.add(range.partitionId());
      }
    }
    unassignOrphans(assignments, live);
    transfersSinceMs.entrySet().removeIf(e -> nowMs - e.getValue() > TRANSFER_IN_FLIGHT_MS);
    transfers.keySet().retainAll(transfersSinceMs.keySet());
    for (Decision decision : admin.decide(view(nodes, assignments, live, nowMs), nowMs)) {
      enact(decision, nodes, assignments, nowMs);
    }
  }

  private void judgeNodes(List<NodeRecord> nodes, long nowMs) {
    for (NodeRecord node : nodes) {
      boolean silent = nowMs - node.lastHeartbeatMs() > NODE_DOWN_AFTER_MS;
      if (silent) {
        upSinceMs.remove(node.nodeId());
      } else {
        upSinceMs.putIfAbsent(node.nodeId(), nowMs);
      }
      if (silent && node.health() == NodeHealth.UP) {
        metadata.setNodeHealth(node.nodeId(), NodeHealth.DOWN);
        LOG.atWarn().setMessage("storage node down").addKeyValue("node", node.nodeId()).addKeyValue("az", node.az())
            .addKeyValue("silentMs", nowMs - node.lastHeartbeatMs()).log();
      } else if (!silent && node.health() == NodeHealth.DOWN) {
        metadata.setNodeHealth(node.nodeId(), NodeHealth.UP);
        LOG.atInfo().setMessage("storage node up").addKeyValue("node", node.nodeId()).addKeyValue("az", node.az()).log();
      }
    }
  }

  private void unassignOrphans(Map<PartitionId, PartitionReplicas> assignments, Set<PartitionId> live) {
    for (PartitionReplicas assignment : assignments.values()) {
      if (!live.contains(assignment.partitionId())) {
        metadata.setPartitionReplicas(assignment.partitionId(), List.of(), "", assignment.version());
        LOG.atInfo().setMessage("partition unassigned: its table is gone")
            .addKeyValue("partition", assignment.partitionId().toString()).addKeyValue("replicas", assignment.replicaNodeIds()).log();
      }
    }
  }

  private ClusterView view(List<NodeRecord> nodes, Map<PartitionId, PartitionReplicas> assignments, Set<PartitionId> live,
      long nowMs) {
    List<io.cairn.admin.StorageNode> storage = new ArrayList<>();
    for (NodeRecord node : nodes) {
      boolean alive = nowMs - node.lastHeartbeatMs() <= NODE_DOWN_AFTER_MS && node.health() != NodeHealth.DRAINING;
      storage.add(new io.cairn.admin.StorageNode(new NodeId(node.nodeId()), new AzId(node.az()), alive,
          node.lastHeartbeatMs(), REPLICAS_PER_NODE_MAX));
    }
    List<PartitionView> partitions = new ArrayList<>();
    for (PartitionId partitionId : live) {
      PartitionReplicas assignment = assignments.get(partitionId);
      if (assignment == null) {
        partitions.add(PartitionView.unplaced(partitionId));
        continue;
      }
      List<Replica> replicas = assignment.replicaNodeIds().stream().map(id -> Replica.ready(new NodeId(id))).toList();
      Optional<NodeId> leader = assignment.leaderHint().isEmpty() ? Optional.empty()
          : Optional.of(new NodeId(assignment.leaderHint()));
      partitions.add(new PartitionView(partitionId, replicas, leader));
    }
    return ClusterView.of(storage, partitions, List.copyOf(transfers.values()));
  }

  private void enact(Decision decision, List<NodeRecord> nodes, Map<PartitionId, PartitionReplicas> assignments,
      long nowMs) {
    switch (decision) {
      case Decision.PlacePartition place -> {
        MetadataReply reply = metadata.setPartitionReplicas(place.partition(),
            place.replicas().stream().map(NodeId::name).toList(), place.leader().name(), 0);
        LOG.atInfo().setMessage("partition placed").addKeyValue("partition", place.partition().toString())
            .addKeyValue("replicas", place.replicas().stream().map(NodeId::name).toList())
            .addKeyValue("leader", place.leader().name()).addKeyValue("result", reply.getClass().getSimpleName()).log();
      }
      case Decision.TransferLeader transfer -> {
        Long upSince = upSinceMs.get(transfer.to().name());
        if (upSince == null || nowMs - upSince < LEADER_TARGET_SETTLE_MS) {
          return; // decided again on a later round, once the target has settled
        }
        transfers.put(transfer.partition(), transfer);
        transfersSinceMs.put(transfer.partition(), nowMs);
        transferLeadership(transfer, nodes, assignments.get(transfer.partition()));
      }
      case Decision.AddReplica d -> logOnce(d);
      case Decision.RemoveReplica d -> logOnce(d);
      case Decision.AbandonReplica d -> logOnce(d);
    }
  }

  private void transferLeadership(Decision.TransferLeader transfer, List<NodeRecord> nodes, PartitionReplicas assignment) {
    if (assignment == null) {
      return;
    }
    Map<String, String> addresses = new HashMap<>();
    nodes.forEach(n -> addresses.put(n.nodeId(), n.address()));
    List<ReplicaPeer> peers = assignment.replicaNodeIds().stream()
        .map(id -> ReplicaPeer.full(id, addresses.get(id))).toList();
    // One short-lived admin client per transfer: transfers are rare (leader balancing).
    try (RaftClient client = RaftClient.newBuilder().setProperties(new RaftProperties())
        .setRaftGroup(PartitionGroups.group(transfer.partition(), peers)).build()) {
      client.admin().transferLeadership(RaftPeerId.valueOf(transfer.to().name()), TRANSFER_TIMEOUT_MS);
      LOG.atInfo().setMessage("leadership transferred").addKeyValue("partition", transfer.partition().toString())
          .addKeyValue("from", transfer.from().name()).addKeyValue("to", transfer.to().name())
          .addKeyValue("reason", transfer.reason()).log();
    } catch (IOException | RuntimeException e) {
      LOG.atWarn().setMessage("leadership transfer failed").addKeyValue("partition", transfer.partition().toString())
          .addKeyValue("to", transfer.to().name()).addKeyValue("error", String.valueOf(e)).log();
    }
  }

  private void logOnce(Decision decision) {
    if (loggedUnenacted.add(decision.describe())) {
      LOG.atWarn().setMessage("auto-admin decision not enacted (replica repair is not built yet)")
          .addKeyValue("decision", decision.describe()).log();
    }
  }
}
