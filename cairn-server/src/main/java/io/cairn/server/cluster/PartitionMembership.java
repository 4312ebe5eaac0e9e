package io.cairn.server.cluster;

import io.cairn.core.id.PartitionId;
import io.cairn.replication.PartitionGroups;
import io.cairn.replication.ReplicaPeer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis calls behind a partition's membership changes: asking one replica what it knows of
 * its group (Ratis's group-info call), and asking the group's leader to change the voting members
 * (Ratis's set-configuration). Auto-admin's replica repair ({@link AdminDriver}) and a storage
 * node's check before it drops a replica ({@link StorageProcess}) use them. Each call builds a
 * short-lived client: membership changes are rare.
 */
final class PartitionMembership {
  /** Between attempts of a membership change that met a leader change or a member not ready. */
  static final long RETRY_SLEEP_MS = 200;
  static final int RETRIES_MAX = 10;

  private PartitionMembership() {}

  /**
   * What one replica knows of its group.
   *
   * @param node the replica's node
   * @param role LEADER, FOLLOWER, CANDIDATE or LISTENER
   * @param members the voting members of its latest configuration (empty for a replica added
   *     empty that has not heard from its group yet)
   * @param oldMembers during a membership change (Ratis's joint configuration), the members
   *     before it; empty otherwise
   * @param appliedIndex the last log index its state machine applied
   */
  record View(String node, String role, List<String> members, List<String> oldMembers, long appliedIndex) {
    public View {
      members = List.copyOf(members);
      oldMembers = List.copyOf(oldMembers);
    }

    boolean leads() {
      return role.equals(RaftPeerRole.LEADER.name());
    }

    /** In the middle of a membership change (its configuration is the joint one). */
    boolean changing() {
      return !oldMembers.isEmpty();
    }
  }

  /**
   * What {@code replica}'s node says about its replica of the partition, or empty when it does not
   * answer within {@code timeoutMs} or hosts no such replica.
   *
   * @param known the group's members as the caller knows them ({@code replica} may be among them)
   */
  static Optional<View> view(PartitionId partitionId, List<ReplicaPeer> known, ReplicaPeer replica, long timeoutMs) {
    List<ReplicaPeer> peers = new ArrayList<>(known);
    if (peers.stream().noneMatch(p -> p.nodeId().equals(replica.nodeId()))) {
      peers.add(replica);
    }
    try (RaftClient client = client(partitionId, peers, timeoutMs, false)) {
      GroupInfoReply info = client.getGroupManagementApi(RaftPeerId.valueOf(replica.nodeId()))
          .info(PartitionGroups.groupId(partitionId));
      if (!info.isSuccess()) {
        return Optional.empty();
      }
      List<String> members = new ArrayList<>();
      List<String> oldMembers = new ArrayList<>();
      info.getConf().ifPresent(conf -> {
        // Listeners (non-voting members) are listed apart; these are the voting members.
        conf.getPeersList().stream().map(PartitionMembership::name).forEach(members::add);
        conf.getOldPeersList().stream().map(PartitionMembership::name).forEach(oldMembers::add);
      });
      return Optional.of(new View(replica.nodeId(), info.getRoleInfoProto().getRole().name(), members, oldMembers,
          info.getLogInfoProto().getApplied().getIndex()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Every replica's view among {@code replicas} that answered, by node. */
  static Map<String, View> views(PartitionId partitionId, List<ReplicaPeer> replicas, long timeoutMs) {
    Map<String, View> views = new LinkedHashMap<>();
    for (ReplicaPeer replica : replicas) {
      view(partitionId, replicas, replica, timeoutMs).ifPresent(v -> views.put(v.node(), v));
    }
    return views;
  }

  /**
   * Asks the group's leader to make {@code next} the voting members (Ratis's set-configuration)
   * and waits until the change has committed or failed. Ratis first adds the members that are new
   * as non-voting "staging" members and catches them up: from its log while it still holds every
   * entry they need (measured: even when a snapshot exists), else with its latest snapshot and the
   * log after it. Once they are close enough to the leader's commit index (1,000 entries) it
   * commits the joint configuration (majorities of both the old and the new members), then the new
   * one. A member
   * that makes no progress for Ratis's staging timeout (3 election timeouts) fails the change.
   * Setting the members the group already has succeeds at once, so a change whose outcome was
   * unknown can simply be asked for again. Ratis refuses a change while another is in progress.
   *
   * @param current the members as the caller knows them (to find the leader; dead ones cost an
   *     attempt each)
   * @param leaderHint the member to try first, or empty
   * @param timeoutMs how long one attempt may take: the whole catch-up of the new members
   * @throws IOException when the leader refused it or no leader answered
   */
  static void setMembers(PartitionId partitionId, List<ReplicaPeer> current, String leaderHint, List<ReplicaPeer> next,
      long timeoutMs) throws IOException {
    try (RaftClient client = client(partitionId, current, timeoutMs, true, leaderHint)) {
      List<RaftPeer> peers = next.stream().map(PartitionGroups::peer).toList();
      RaftClientReply reply = client.admin().setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
          .setServersInNewConf(peers).setMode(SetConfigurationRequest.Mode.SET_UNCONDITIONALLY).build());
      if (!reply.isSuccess()) {
        throw reply.getException() != null ? reply.getException()
            : new IOException("set-configuration of " + partitionId + " failed without an exception");
      }
    }
  }

  private static String name(RaftPeerProto peer) {
    return peer.getId().toStringUtf8();
  }

  private static RaftClient client(PartitionId partitionId, List<ReplicaPeer> peers, long timeoutMs, boolean retry) {
    return client(partitionId, peers, timeoutMs, retry, "");
  }

  private static RaftClient client(PartitionId partitionId, List<ReplicaPeer> peers, long timeoutMs, boolean retry,
      String leaderHint) {
    RaftProperties properties = new RaftProperties();
    RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(timeoutMs, TimeUnit.MILLISECONDS));
    RaftClient.Builder builder = RaftClient.newBuilder().setProperties(properties)
        .setRaftGroup(PartitionGroups.group(partitionId, peers))
        .setRetryPolicy(retry
            ? RetryPolicies.retryUpToMaximumCountWithFixedSleep(RETRIES_MAX,
                TimeDuration.valueOf(RETRY_SLEEP_MS, TimeUnit.MILLISECONDS))
            : RetryPolicies.noRetry());
    if (!leaderHint.isEmpty() && peers.stream().anyMatch(p -> p.nodeId().equals(leaderHint))) {
      builder.setLeaderId(RaftPeerId.valueOf(leaderHint));
    }
    return builder.build();
  }
}
