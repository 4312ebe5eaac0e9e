package io.cairn.replication;

import io.cairn.core.Invariants;
import io.cairn.core.id.PartitionId;
import io.cairn.storage.Durability;
import io.cairn.storage.StorageEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A storage node: one Ratis server (one gRPC port) hosting a division per partition replica, all
 * applying to the node's single {@link StorageEngine}.
 *
 * <p>The server starts with no group; {@link #addReplica} adds one division with the
 * group-management API (each member's node is told separately, as auto-admin will). On restart
 * the server finds its group directories and recreates the divisions itself; the partition of a
 * group follows from its id ({@link PartitionGroups}) and whether this member is a log replica is
 * read from the engine's metadata, where {@link #addReplica} recorded it.
 *
 * <p>Threads: Ratis runs a state-machine-updater thread per division (the only thread that
 * applies that partition's entries), gRPC event loops shared by all divisions, and a heartbeat
 * sender per follower per division. The node adds two threads of its own: one for leadership
 * hand-offs, one for the {@link LaggingFollowerWatch} (which hands a partition's leadership away
 * when a follower is stuck behind it, Ratis 3.3.0's RATIS-2605).
 * The node does not own the engine: close the node, then the engine.
 */
public final class StorageNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StorageNode.class);
  private static final String REPLICA_KIND_PREFIX = "replica-kind/";
  private static final String LOG_REPLICA = "log";
  private static final String FULL_REPLICA = "full";
  /** Rounds over the full members a log replica tries before it gives up handing leadership away. */
  private static final int HAND_OFF_ROUNDS_MAX = 5;

  private final String nodeId;
  private final String address;
  private final StorageEngine engine;
  private final ReplicationOptions options;
  private final RaftServer server;
  private final ClientId adminClientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final ExecutorService handOffs;
  private final PartitionRanges ranges;
  private final PartitionAppliers appliers;
  private final LaggingFollowerWatch laggingFollowers;

  /**
   * The applier for one partition's division (one per division: divisions apply concurrently on
   * their own threads). Secondary indexes come in here: {@code new PartitionApplier(engine,
   * indexCatalog, outboxListener)}.
   */
  @FunctionalInterface
  public interface PartitionAppliers {
    io.cairn.partition.PartitionApplier applier(PartitionId partitionId);
  }

  /** The key range of a partition, for snapshots; null when unknown (no snapshots for it). */
  @FunctionalInterface
  public interface PartitionRanges {
    io.cairn.storage.KeyRange range(PartitionId partitionId);
  }

  private StorageNode(String nodeId, String host, int port, Path raftDir, StorageEngine engine,
      ReplicationOptions options, PartitionRanges ranges, PartitionAppliers appliers) throws IOException {
    this.nodeId = nodeId;
    this.ranges = ranges;
    this.appliers = appliers;
    this.address = host + ":" + port;
    this.engine = engine;
    this.options = options;
    this.handOffs = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "cairn-handoff-" + nodeId);
      thread.setDaemon(true);
      return thread;
    });
    this.server = RaftServer.newBuilder()
        .setServerId(RaftPeerId.valueOf(nodeId))
        .setProperties(serverProperties(host, port, raftDir, options))
        .setStateMachineRegistry(this::stateMachine)
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();
    this.laggingFollowers = new LaggingFollowerWatch(nodeId, new RatisLeaders(server, this::transferLeadership),
        LaggingFollowerRule.Limits.production(), () -> System.nanoTime() / 1_000_000);
  }

  /** Starts a node; the divisions it hosted before a restart come back by themselves. */
  public static StorageNode start(String nodeId, String host, int port, Path raftDir, StorageEngine engine,
      ReplicationOptions options) {
    return start(nodeId, host, port, raftDir, engine, options, partitionId -> null);
  }

  /** Starts a node that snapshots each partition's key range as {@code ranges} gives it. */
  public static StorageNode start(String nodeId, String host, int port, Path raftDir, StorageEngine engine,
      ReplicationOptions options, PartitionRanges ranges) {
    return start(nodeId, host, port, raftDir, engine, options, ranges,
        partitionId -> new io.cairn.partition.PartitionApplier(engine));
  }

  /** Starts a node whose divisions apply through the appliers {@code appliers} makes. */
  public static StorageNode start(String nodeId, String host, int port, Path raftDir, StorageEngine engine,
      ReplicationOptions options, PartitionRanges ranges, PartitionAppliers appliers) {
    try {
      StorageNode node = new StorageNode(nodeId, host, port, raftDir, engine, options, ranges, appliers);
      node.server.start();
      node.laggingFollowers.start();
      LOG.info("storage node {} started on {} with {} partition replicas", nodeId, node.address,
          node.partitions().size());
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException("storage node " + nodeId + " failed to start", e);
    }
  }

  static RaftProperties serverProperties(String host, int port, Path raftDir, ReplicationOptions options) {
    RaftProperties properties = new RaftProperties();
    RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
    GrpcConfigKeys.Server.setHost(properties, host);
    GrpcConfigKeys.Server.setPort(properties, port);
    RaftServerConfigKeys.setStorageDir(properties, List.of(raftDir.toFile()));
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties,
        TimeDuration.valueOf(options.electionTimeoutMinMs(), TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties,
        TimeDuration.valueOf(options.electionTimeoutMaxMs(), TimeUnit.MILLISECONDS));
    // A new group's first election need not wait a full election timeout: nobody led it before.
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(properties, TimeDuration.valueOf(150, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(properties, TimeDuration.valueOf(400, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setRequestTimeout(properties,
        TimeDuration.valueOf(options.serverRequestTimeoutMs(), TimeUnit.MILLISECONDS));
    // Strongly consistent reads: ReadIndex, on a leader lease, as DynamoDB's leaders do. The leader
    // answers from its commit index (once applied) without a heartbeat round while a majority has
    // acknowledged it within 0.9 of the minimum election timeout (Ratis's default ratio), a time
    // in which no follower can have started an election; past it, it confirms its leadership with
    // a heartbeat round first. What it saves is that round to a majority per read; in-process
    // (ReplicationClusterTest.read_latency_after_each_write) strong reads take p50 ~0.8 ms, and a
    // one-off comparison without the lease was within the machine's noise.
    RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(properties, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, options.snapshotEveryEntries() > 0);
    if (options.snapshotEveryEntries() > 0) {
      RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, options.snapshotEveryEntries());
    }
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
    RaftServerConfigKeys.Log.setPurgeGap(properties, options.logPurgeGapEntries());
    RaftServerConfigKeys.Log.setSegmentSizeMax(properties,
        org.apache.ratis.util.SizeInBytes.valueOf(options.logSegmentBytesMax()));
    return properties;
  }

  private StateMachine stateMachine(RaftGroupId groupId) {
    PartitionId partitionId = PartitionGroups.partitionId(groupId);
    Invariants.check(partitionId != null, "node %s asked to host non-partition group %s", nodeId, groupId);
    byte[] kind = engine.getMetadata(REPLICA_KIND_PREFIX + partitionId.value());
    if (kind != null && LOG_REPLICA.equals(new String(kind, StandardCharsets.UTF_8))) {
      return new LogReplicaStateMachine(partitionId, this::handOffLeadership);
    }
    return new PartitionStateMachine(partitionId, engine, appliers.applier(partitionId), options.applyDurability(),
        ranges.range(partitionId));
  }

  /**
   * Adds this node's replica of a partition. Call on every member's node with the same list.
   *
   * @param replicas the whole group, this node included
   */
  public void addReplica(PartitionId partitionId, List<ReplicaPeer> replicas) {
    ReplicaPeer self = replicas.stream().filter(r -> r.nodeId().equals(nodeId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(nodeId + " is not a member of " + replicas));
    engine.putMetadata(REPLICA_KIND_PREFIX + partitionId.value(),
        (self.logReplica() ? LOG_REPLICA : FULL_REPLICA).getBytes(StandardCharsets.UTF_8), Durability.FSYNC);
    RaftClientReply reply = admin(() -> server.groupManagement(GroupManagementRequest.newAdd(
        adminClientId, server.getId(), callIds.incrementAndGet(), PartitionGroups.group(partitionId, replicas))));
    if (!reply.isSuccess()) {
      throw new IllegalStateException("node " + nodeId + " could not add partition " + partitionId
          + ": " + reply.getException());
    }
    LOG.info("node {} added {} replica of partition {} (group {})", nodeId,
        self.logReplica() ? "log" : "full", partitionId, replicas.stream().map(ReplicaPeer::nodeId).toList());
  }

  /**
   * Adds an empty replica of a partition whose group already exists elsewhere, to be filled by the
   * group (auto-admin's replica repair). The division starts with no configuration: Ratis then
   * starts it "initializing", a follower without an election timer, so it neither campaigns nor
   * votes. It waits for the group's leader, which brings it in with a membership change: Ratis
   * stages the new member first, catching it up from the leader's log (or, when the leader has
   * purged the entries it needs, from the leader's latest snapshot and the log after it), and
   * commits the joint configuration only once the member has caught up.
   *
   * <p>The engine must hold nothing of this partition (no applied index): a replica that starts
   * from a stale applied index would skip the entries below it as already applied.
   */
  public void joinReplica(PartitionId partitionId) {
    long applied = engine.appliedIndex(io.cairn.storage.LogId.of(partitionId)).value();
    Invariants.check(applied == 0, "node %s cannot join partition %s: its engine still holds applied index %s",
        nodeId, partitionId, applied);
    engine.putMetadata(REPLICA_KIND_PREFIX + partitionId.value(), FULL_REPLICA.getBytes(StandardCharsets.UTF_8),
        Durability.FSYNC);
    RaftClientReply reply = admin(() -> server.groupManagement(GroupManagementRequest.newAdd(
        adminClientId, server.getId(), callIds.incrementAndGet(),
        org.apache.ratis.protocol.RaftGroup.valueOf(PartitionGroups.groupId(partitionId)))));
    if (!reply.isSuccess()) {
      throw new IllegalStateException("node " + nodeId + " could not join partition " + partitionId
          + ": " + reply.getException());
    }
    LOG.info("node {} added an empty replica of partition {}, waiting for its group to bring it in", nodeId,
        partitionId);
  }

  /**
   * The voting members of this replica's group as this replica knows them (its latest
   * configuration, committed or not; empty for a replica that has not heard from its group yet).
   */
  public List<String> members(PartitionId partitionId) {
    try {
      List<String> members = new ArrayList<>();
      for (RaftPeer peer : server.getDivision(PartitionGroups.groupId(partitionId)).getGroup().getPeers()) {
        members.add(peer.getId().toString());
      }
      return members;
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Removes this node's replica of a partition and its Ratis directory (not its items). */
  public void removeReplica(PartitionId partitionId) {
    RaftClientReply reply = admin(() -> server.groupManagement(GroupManagementRequest.newRemove(
        adminClientId, server.getId(), callIds.incrementAndGet(), PartitionGroups.groupId(partitionId), true, false)));
    if (!reply.isSuccess()) {
      throw new IllegalStateException("node " + nodeId + " could not remove partition " + partitionId
          + ": " + reply.getException());
    }
    engine.deleteMetadata(REPLICA_KIND_PREFIX + partitionId.value(), Durability.FSYNC);
  }

  /** The partitions this node holds a replica of. */
  public List<PartitionId> partitions() {
    List<PartitionId> partitions = new ArrayList<>();
    for (RaftGroupId groupId : server.getGroupIds()) {
      PartitionId partitionId = PartitionGroups.partitionId(groupId);
      if (partitionId != null) {
        partitions.add(partitionId);
      }
    }
    return partitions;
  }

  public boolean isLeader(PartitionId partitionId) {
    DivisionInfo info = info(partitionId);
    return info != null && info.isLeader() && info.isLeaderReady();
  }

  /** The leader this replica knows of, if any. */
  public Optional<String> leaderOf(PartitionId partitionId) {
    DivisionInfo info = info(partitionId);
    RaftPeerId leader = info == null ? null : info.getLeaderId();
    return Optional.ofNullable(leader).map(RaftPeerId::toString);
  }

  /** The last log index this replica applied (0 before the first). */
  public long appliedIndex(PartitionId partitionId) {
    DivisionInfo info = info(partitionId);
    return info == null ? -1 : info.getLastAppliedIndex();
  }

  private DivisionInfo info(PartitionId partitionId) {
    try {
      return server.getDivision(PartitionGroups.groupId(partitionId)).getInfo();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Asks this node's replica, which must lead, to hand leadership to {@code targetNodeId}
   * (leader balancing, and a log replica stepping down).
   */
  public CompletableFuture<Void> transferLeadership(PartitionId partitionId, String targetNodeId, long timeoutMs) {
    try {
      TransferLeadershipRequest request = new TransferLeadershipRequest(adminClientId, server.getId(),
          PartitionGroups.groupId(partitionId), callIds.incrementAndGet(), RaftPeerId.valueOf(targetNodeId), timeoutMs);
      return server.transferLeadershipAsync(request).thenAccept(reply -> {
        if (!reply.isSuccess()) {
          throw new IllegalStateException("leadership transfer of " + partitionId + " to " + targetNodeId
              + " failed: " + reply.getException());
        }
      });
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * A log replica was elected: hand leadership to a full member, highest priority first, trying
   * the next when one refuses or cannot catch up in time (it may be the member that just died).
   */
  private void handOffLeadership(PartitionId partitionId) {
    handOffs.execute(() -> {
      List<RaftPeer> candidates = new ArrayList<>();
      try {
        for (RaftPeer peer : server.getDivision(PartitionGroups.groupId(partitionId)).getGroup().getPeers()) {
          if (!peer.getId().toString().equals(nodeId) && peer.getPriority() > ReplicaPeer.LOG_REPLICA_PRIORITY) {
            candidates.add(peer);
          }
        }
      } catch (IOException e) {
        LOG.warn("partition {} log replica on {} could not read its group to hand leadership away", partitionId, nodeId, e);
        return;
      }
      candidates.sort((a, b) -> Integer.compare(b.getPriority(), a.getPriority()));
      for (int round = 0; round < HAND_OFF_ROUNDS_MAX && !Thread.currentThread().isInterrupted(); round++) {
        for (RaftPeer candidate : candidates) {
          if (!isLeader(partitionId)) {
            return;
          }
          String target = candidate.getId().toString();
          try {
            // Ratis waits up to the timeout for the target to catch up before handing over.
            transferLeadership(partitionId, target, options.electionTimeoutMaxMs())
                .get(2 * options.electionTimeoutMaxMs(), TimeUnit.MILLISECONDS);
            LOG.info("partition {} log replica on {} handed leadership to {}", partitionId, nodeId, target);
            return;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          } catch (Exception e) {
            LOG.info("partition {} log replica on {} could not hand leadership to {}: {}", partitionId, nodeId,
                target, e.getMessage());
          }
        }
      }
    });
  }

  private interface AdminCall {
    RaftClientReply call() throws IOException;
  }

  private static RaftClientReply admin(AdminCall call) {
    try {
      return call.call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first index still in this replica's Ratis log (later than 0 once the log was purged). */
  public long logStartIndex(PartitionId partitionId) {
    try {
      return server.getDivision(PartitionGroups.groupId(partitionId)).getRaftLog().getStartIndex();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RaftServer server() {
    return server;
  }

  /**
   * Leadership transfers this node started because a follower was stuck behind it (for a metrics
   * binder; storage nodes have no registry yet).
   */
  public long laggingFollowerTransfers() {
    return laggingFollowers.transfersStarted();
  }

  LaggingFollowerWatch laggingFollowerWatch() {
    return laggingFollowers;
  }

  long nextCallId() {
    return callIds.incrementAndGet();
  }

  StorageEngine engine() {
    return engine;
  }

  ReplicationOptions options() {
    return options;
  }

  public String nodeId() {
    return nodeId;
  }

  public String address() {
    return address;
  }

  @Override
  public void close() {
    laggingFollowers.close();
    handOffs.shutdownNow();
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("storage node " + nodeId + " did not close cleanly", e);
    }
    LOG.info("storage node {} stopped", nodeId);
  }
}
