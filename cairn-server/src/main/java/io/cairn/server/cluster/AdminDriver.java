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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * leadership (Ratis's transfer-leadership through an admin client of the group), unassigning
 * partitions whose table is gone, and repairing replication groups.
 *
 * <p><b>Replica repair.</b> When a storage node has been silent for the repair timeout
 * ({@link AdminConfig#deadNodeRepairAfterMs()}, 60 s unless the topology says otherwise), auto-admin
 * decides an {@link Decision.AddReplica} for each of its replicas: a live node, in the same AZ if
 * one has room, else in an AZ the partition does not use. Enacting it takes four steps, each
 * recorded where the next one can pick it up, so a new metadata leader resumes where the old one
 * stopped:
 *
 * <ol>
 *   <li>the assignment records the replacement ({@code BeginReplacement}: the filling node and the
 *       node it replaces; the replica set is unchanged, so routers keep using the group as it is);
 *   <li>the filling node's {@link StorageProcess} sees it and adds an empty replica
 *       ({@code StorageNode.joinReplica}), which neither votes nor campaigns;
 *   <li>this driver, once the filling node answers for its replica and a member that leads is
 *       found, asks the leader for the new membership: the old members without the dead one, plus
 *       the filling one ({@link PartitionMembership#setMembers}). Ratis stages the new member,
 *       filling it from its log (or, once it has purged the entries the member needs, with its
 *       latest snapshot and the log after it), and only then commits the joint configuration and
 *       the new one;
 *   <li>once the change is committed, the assignment names the new set ({@code FinishReplacement});
 *       routers build new Ratis clients for it, and the auto-admin view shows the replica READY.
 * </ol>
 *
 * <p>{@link Decision.RemoveReplica} is therefore never needed here: the dead replica leaves in the
 * same membership change that lets the new one in. Ratis catches a staging member up before it
 * counts it, so the new replica is never a voter that cannot vote yet; doing the change as two
 * (add, then remove) would instead leave a four-member group, one of them dead, whose majority is
 * three of four: one more failure then stops the partition's writes, and it takes two
 * reconfigurations instead of one. The decision is still handled (logged) for completeness.
 * {@link Decision.AbandonReplica} (the filling node died too) drops the replacement, unless the
 * group shows the change did commit, in which case it is finished instead; a new replacement is
 * then decided. A node that comes back after its replicas were replaced drops them, with their
 * items, once their groups confirm it left ({@link ReplicaPlan}).
 *
 * <p>Membership changes run on their own threads ({@link #REPAIR_THREADS}), one per partition at
 * a time, so a slow catch-up never holds up the rounds.
 */
final class AdminDriver implements AutoCloseable {
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
  /**
   * Threads for membership changes (each blocks while Ratis catches a new replica up). Their queue
   * holds at most one step per partition with a replacement ({@link #repairing}), so at most
   * {@link AdminConfig#repairsInFlightMax()} steps.
   */
  static final int REPAIR_THREADS = 2;
  /**
   * One membership change attempt: the whole catch-up of the new replica (the partition's log, or
   * a snapshot and the log after it). Ratis fails it sooner if the new replica stops making progress
   * (its staging timeout, three election timeouts).
   */
  static final long REPAIR_CHANGE_TIMEOUT_MS = 120_000;
  /** One group-info call to a member while preparing or checking a membership change. */
  static final long REPAIR_PROBE_TIMEOUT_MS = 1_000;
  /** Pause before a replacement step that could not be taken is tried again. */
  static final long REPAIR_RETRY_MS = 1_000;

  private final MetadataClient metadata;
  private final AutoAdmin admin;
  private final InstantSource clock;
  private final ExecutorService repairs;
  /** Partitions with a replacement step running on {@link #repairs}. */
  private final Set<PartitionId> repairing = ConcurrentHashMap.newKeySet();
  /** When a partition's replacement may next be tried (after a step that could not be taken). */
  private final Map<PartitionId, Long> repairNotBeforeMs = new ConcurrentHashMap<>();
  /** Replacement states already logged (each waiting state once per partition). */
  private final Set<String> loggedRepairStates = ConcurrentHashMap.newKeySet();
  private final Map<PartitionId, Long> transfersSinceMs = new HashMap<>();
  private final Map<PartitionId, Decision> transfers = new HashMap<>();
  private final Set<String> loggedUnenacted = new HashSet<>();
  /** Since when each node has been heartbeating without a gap (this driver's own observation). */
  private final Map<String, Long> upSinceMs = new HashMap<>();

  AdminDriver(MetadataClient metadata, InstantSource clock, AdminConfig config) {
    this.metadata = metadata;
    this.clock = clock;
    this.admin = new AutoAdmin(config);
    this.repairs = Executors.newFixedThreadPool(REPAIR_THREADS, r -> {
      Thread thread = new Thread(r, "cairn-replica-repair");
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public void close() {
    repairs.shutdownNow();
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
    Map<String, String> addresses = addresses(nodes);
    for (PartitionReplicas assignment : assignments.values()) {
      if (assignment.replacement().isPresent() && live.contains(assignment.partitionId())) {
        startRepairStep(assignment, addresses, nowMs, false);
      }
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
      partitions.add(partitionView(assignment));
    }
    return ClusterView.of(storage, partitions, List.copyOf(transfers.values()));
  }

  /**
   * A partition as auto-admin sees it: the assignment's replicas are READY (the group committed
   * them), and a replacement in progress is a FILLING replica on its filling node, replacing the
   * one named; it becomes READY, and the replaced one goes, in one step ({@code FinishReplacement}).
   */
  static PartitionView partitionView(PartitionReplicas assignment) {
    List<Replica> replicas = new ArrayList<>();
    assignment.replicaNodeIds().forEach(id -> replicas.add(Replica.ready(new NodeId(id))));
    assignment.replacement().ifPresent(r ->
        replicas.add(Replica.filling(new NodeId(r.fillingNodeId()), new NodeId(r.replacedNodeId()))));
    Optional<NodeId> leader = assignment.leaderHint().isEmpty() ? Optional.empty()
        : Optional.of(new NodeId(assignment.leaderHint()));
    return new PartitionView(assignment.partitionId(), replicas, leader);
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
      case Decision.AddReplica add -> beginReplacement(add, assignments.get(add.partition()));
      // Never decided here: FinishReplacement removes the replaced replica in the same committed
      // membership change that adds its replacement (see the class comment).
      case Decision.RemoveReplica d -> logOnce(d);
      case Decision.AbandonReplica abandon -> {
        PartitionReplicas assignment = assignments.get(abandon.partition());
        if (assignment != null && assignment.replacement().isPresent()) {
          startRepairStep(assignment, addresses(nodes), nowMs, true);
        }
      }
    }
  }

  private static Map<String, String> addresses(List<NodeRecord> nodes) {
    Map<String, String> addresses = new HashMap<>();
    nodes.forEach(n -> addresses.put(n.nodeId(), n.address()));
    return addresses;
  }

  /** Step 1 of a repair: the assignment records the replacement (see the class comment). */
  private void beginReplacement(Decision.AddReplica add, PartitionReplicas assignment) {
    if (assignment == null || assignment.replacement().isPresent()) {
      return; // one replacement per partition at a time; decided again once this one is done
    }
    MetadataReply reply = metadata.beginReplacement(add.partition(), add.target().name(), add.replacing().name(),
        assignment.version());
    LOG.atWarn().setMessage("replica replacement started").addKeyValue("partition", add.partition().toString())
        .addKeyValue("replacing", add.replacing().name()).addKeyValue("filling", add.target().name())
        .addKeyValue("reason", add.reason()).addKeyValue("replicas", assignment.replicaNodeIds())
        .addKeyValue("result", reply.getClass().getSimpleName()).log();
  }

  /**
   * Starts the next step of a recorded replacement on a repair thread, unless one is running for
   * the partition or the last attempt asked to wait: the membership change and its record, or
   * (with {@code abandon}) giving the replacement up.
   */
  private void startRepairStep(PartitionReplicas assignment, Map<String, String> addresses, long nowMs,
      boolean abandon) {
    PartitionId partitionId = assignment.partitionId();
    if (nowMs < repairNotBeforeMs.getOrDefault(partitionId, 0L) || !repairing.add(partitionId)) {
      return;
    }
    try {
      repairs.execute(() -> {
        boolean done = false;
        try {
          done = abandon ? abandonReplacement(assignment, addresses) : completeReplacement(assignment, addresses);
        } catch (RuntimeException e) {
          LOG.atWarn().setMessage("replica replacement step failed").addKeyValue("partition", partitionId.toString())
              .addKeyValue("step", abandon ? "abandon" : "complete").addKeyValue("error", String.valueOf(e)).log();
        } finally {
          if (done) {
            repairNotBeforeMs.remove(partitionId);
          } else {
            repairNotBeforeMs.put(partitionId, clock.millis() + REPAIR_RETRY_MS);
          }
          repairing.remove(partitionId);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      repairing.remove(partitionId); // closing
    }
  }

  /**
   * Steps 3 and 4 of a repair: once the filling node hosts its empty replica and a member leads,
   * the membership change, then its record. Returns whether the replacement is finished.
   */
  private boolean completeReplacement(PartitionReplicas assignment, Map<String, String> addresses) {
    PartitionId partitionId = assignment.partitionId();
    PartitionReplicas.Replacement r = assignment.replacement().orElseThrow();
    List<ReplicaPeer> current = peers(assignment.replicaNodeIds(), addresses);
    List<ReplicaPeer> next = peers(assignment.replicaNodeIdsAfterReplacement(), addresses);
    ReplicaPeer filling = ReplicaPeer.full(r.fillingNodeId(), addresses.get(r.fillingNodeId()));
    if (PartitionMembership.view(partitionId, current, filling, REPAIR_PROBE_TIMEOUT_MS).isEmpty()) {
      logRepairState(partitionId, "waiting for the filling node to add its empty replica", r);
      return false;
    }
    Optional<PartitionMembership.View> leader = leaderView(partitionId, current, r.replacedNodeId());
    if (leader.isEmpty()) {
      logRepairState(partitionId, "waiting for a member that leads", r);
      return false;
    }
    boolean alreadyChanged = !leader.get().changing()
        && new HashSet<>(leader.get().members()).equals(new HashSet<>(assignment.replicaNodeIdsAfterReplacement()));
    long startedMs = clock.millis();
    if (!alreadyChanged) {
      LOG.atInfo().setMessage("membership change requested").addKeyValue("partition", partitionId.toString())
          .addKeyValue("leader", leader.get().node()).addKeyValue("from", assignment.replicaNodeIds())
          .addKeyValue("to", assignment.replicaNodeIdsAfterReplacement()).log();
      try {
        PartitionMembership.setMembers(partitionId, current, leader.get().node(), next, REPAIR_CHANGE_TIMEOUT_MS);
      } catch (IOException e) {
        LOG.atWarn().setMessage("membership change failed; tried again").addKeyValue("partition", partitionId.toString())
            .addKeyValue("filling", r.fillingNodeId()).addKeyValue("replacing", r.replacedNodeId())
            .addKeyValue("tookMs", clock.millis() - startedMs).addKeyValue("error", String.valueOf(e)).log();
        return false;
      }
    }
    MetadataReply reply = metadata.finishReplacement(partitionId, assignment.version());
    LOG.atWarn().setMessage("replica replaced").addKeyValue("partition", partitionId.toString())
        .addKeyValue("replaced", r.replacedNodeId()).addKeyValue("by", r.fillingNodeId())
        .addKeyValue("replicas", assignment.replicaNodeIdsAfterReplacement())
        .addKeyValue("membershipChangeMs", clock.millis() - startedMs).addKeyValue("alreadyChanged", alreadyChanged)
        .addKeyValue("result", reply.getClass().getSimpleName()).log();
    return reply instanceof MetadataReply.PartitionRecorded;
  }

  /**
   * The filling node died while its replica was being filled: the replacement is dropped (and a new
   * one decided) unless the group shows the change committed, in which case it is finished. While
   * the group is between the two (no leader answers, or a joint configuration), it waits.
   */
  private boolean abandonReplacement(PartitionReplicas assignment, Map<String, String> addresses) {
    PartitionId partitionId = assignment.partitionId();
    PartitionReplicas.Replacement r = assignment.replacement().orElseThrow();
    Optional<PartitionMembership.View> leader =
        leaderView(partitionId, peers(assignment.replicaNodeIds(), addresses), r.replacedNodeId());
    if (leader.isEmpty() || leader.get().changing()) {
      logRepairState(partitionId, "abandon waits: the group's membership is not settled", r);
      return false;
    }
    boolean committed = leader.get().members().contains(r.fillingNodeId());
    MetadataReply reply = committed ? metadata.finishReplacement(partitionId, assignment.version())
        : metadata.abandonReplacement(partitionId, assignment.version());
    LOG.atWarn().setMessage(committed ? "replica replaced (its node died after the change committed)"
            : "replica replacement abandoned").addKeyValue("partition", partitionId.toString())
        .addKeyValue("filling", r.fillingNodeId()).addKeyValue("replacing", r.replacedNodeId())
        .addKeyValue("groupMembers", leader.get().members()).addKeyValue("result", reply.getClass().getSimpleName())
        .log();
    return reply instanceof MetadataReply.PartitionRecorded;
  }

  /** The view of a member that leads, asking every member but {@code skip} (the dead one). */
  private static Optional<PartitionMembership.View> leaderView(PartitionId partitionId, List<ReplicaPeer> members,
      String skip) {
    for (ReplicaPeer member : members) {
      if (member.nodeId().equals(skip)) {
        continue;
      }
      Optional<PartitionMembership.View> view =
          PartitionMembership.view(partitionId, members, member, REPAIR_PROBE_TIMEOUT_MS);
      if (view.isPresent() && view.get().leads()) {
        return view;
      }
    }
    return Optional.empty();
  }

  private static List<ReplicaPeer> peers(List<String> nodeIds, Map<String, String> addresses) {
    return nodeIds.stream().map(id -> ReplicaPeer.full(id, addresses.get(id))).toList();
  }

  private void logRepairState(PartitionId partitionId, String state, PartitionReplicas.Replacement r) {
    if (loggedRepairStates.add(partitionId + " " + r + " " + state)) {
      LOG.atInfo().setMessage("replica replacement " + state).addKeyValue("partition", partitionId.toString())
          .addKeyValue("filling", r.fillingNodeId()).addKeyValue("replacing", r.replacedNodeId()).log();
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
      LOG.atWarn().setMessage("auto-admin decision not enacted (a replacement removes the replaced replica itself)")
          .addKeyValue("decision", decision.describe()).log();
    }
  }
}
