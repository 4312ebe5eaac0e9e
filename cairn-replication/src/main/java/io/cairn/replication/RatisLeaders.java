package io.cairn.replication;

import io.cairn.core.id.PartitionId;
import io.cairn.replication.LaggingFollowerRule.Follower;
import io.cairn.replication.LaggingFollowerRule.Observation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;

/**
 * {@link LaggingFollowerWatch.Leaders} on a Ratis server: what each division this server leads
 * knows of its followers, read through Ratis 3.3.0's public division API.
 *
 * <p>Ratis gives a follower's match and next index only as arrays ({@code DivisionInfo
 * #getFollowerMatchIndices}, {@code #getFollowerNextIndices}) in the order of the leader's log
 * appenders, the order its role info lists the followers' ids and last-reply times in. The three
 * are separate reads: a membership change between them could reorder the appenders, so the role
 * info is read before and after the arrays and the look at that division is dropped unless both
 * list the same followers in the same order, as many as the arrays. The commit index a follower
 * last reported comes from the division's commit infos, by peer id.
 */
final class RatisLeaders implements LaggingFollowerWatch.Leaders {

  /** How a leadership transfer is asked for ({@link StorageNode#transferLeadership}). */
  @FunctionalInterface
  interface Transfers {
    CompletableFuture<Void> transferLeadership(PartitionId partitionId, String targetNodeId, long timeoutMs);
  }

  private final RaftServer server;
  private final Transfers transfers;

  RatisLeaders(RaftServer server, Transfers transfers) {
    this.server = server;
    this.transfers = transfers;
  }

  @Override
  public List<Observation> observeLeading() {
    List<Observation> observations = new ArrayList<>();
    for (RaftGroupId groupId : server.getGroupIds()) {
      PartitionId partitionId = PartitionGroups.partitionId(groupId);
      if (partitionId == null) {
        continue;
      }
      RaftServer.Division division;
      try {
        division = server.getDivision(groupId);
      } catch (IOException e) {
        continue; // removed or closing since getGroupIds
      }
      Observation observation = observe(partitionId, division);
      if (observation != null) {
        observations.add(observation);
      }
    }
    return observations;
  }

  /** The division's view of its followers, or null when it does not lead or changed mid-read. */
  static Observation observe(PartitionId partitionId, RaftServer.Division division) {
    DivisionInfo info = division.getInfo();
    if (!info.isLeader() || !info.isLeaderReady()) {
      return null;
    }
    RoleInfoProto before = info.getRoleInfoProto();
    long[] matchIndices = info.getFollowerMatchIndices();
    long[] nextIndices = info.getFollowerNextIndices();
    RoleInfoProto after = info.getRoleInfoProto();
    if (matchIndices == null || nextIndices == null || !before.hasLeaderInfo() || !after.hasLeaderInfo()) {
      return null; // stepped down while we looked
    }
    List<ServerRpcProto> rpcs = after.getLeaderInfo().getFollowerInfoList();
    if (after.getLeaderInfo().getTerm() != before.getLeaderInfo().getTerm()
        || !peerIds(before.getLeaderInfo().getFollowerInfoList()).equals(peerIds(rpcs))
        || rpcs.size() != matchIndices.length || rpcs.size() != nextIndices.length) {
      return null;
    }
    Map<String, Long> commits = new HashMap<>();
    for (CommitInfoProto commit : division.getCommitInfos()) {
      commits.put(RaftPeerId.valueOf(commit.getServer().getId()).toString(), commit.getCommitIndex());
    }
    RaftConfiguration conf = division.getRaftConf();
    Collection<RaftPeer> voters = conf.getCurrentPeers();
    int priorityMax = voters.stream().mapToInt(RaftPeer::getPriority).max().orElse(0);
    List<Follower> followers = new ArrayList<>();
    for (int i = 0; i < rpcs.size(); i++) {
      RaftPeerId id = RaftPeerId.valueOf(rpcs.get(i).getId().getId());
      RaftPeer voter = voters.stream().filter(p -> p.getId().equals(id)).findFirst().orElse(null);
      if (voter == null) {
        continue; // a staging member being filled (replica repair), or a listener
      }
      followers.add(new Follower(id.toString(), matchIndices[i], nextIndices[i], commits.getOrDefault(id.toString(), 0L),
          rpcs.get(i).getLastRpcElapsedTimeMs(), voter.getPriority() >= priorityMax));
    }
    return new Observation(partitionId, after.getLeaderInfo().getTerm(), division.getRaftLog().getLastCommittedIndex(),
        division.getRaftLog().getStartIndex(), !conf.getPreviousPeers().isEmpty(), followers);
  }

  private static List<String> peerIds(List<ServerRpcProto> rpcs) {
    return rpcs.stream().map(rpc -> rpc.getId().getId().toStringUtf8()).toList();
  }

  @Override
  public CompletableFuture<Void> transferLeadership(PartitionId partitionId, String targetNodeId, long timeoutMs) {
    return transfers.transferLeadership(partitionId, targetNodeId, timeoutMs);
  }
}
