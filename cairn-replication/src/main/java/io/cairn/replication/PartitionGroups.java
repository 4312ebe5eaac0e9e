package io.cairn.replication;

import io.cairn.core.id.PartitionId;
import java.util.List;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Names between Cairn and Ratis: a partition's Ratis group id is derived from the partition id
 * (so a restarted node finds which partition each group directory belongs to without any other
 * record), and peers are named by node.
 */
public final class PartitionGroups {
  /** High bits of every partition group's UUID ("cairn-pa"), so other groups are told apart. */
  private static final long PARTITION_GROUP_TAG = 0x636169726e2d7061L;

  private PartitionGroups() {}

  public static RaftGroupId groupId(PartitionId partitionId) {
    return RaftGroupId.valueOf(new UUID(PARTITION_GROUP_TAG, partitionId.value()));
  }

  /** The partition a group belongs to, or null for a group that is not a partition's. */
  public static PartitionId partitionId(RaftGroupId groupId) {
    UUID uuid = groupId.getUuid();
    return uuid.getMostSignificantBits() == PARTITION_GROUP_TAG ? new PartitionId(uuid.getLeastSignificantBits()) : null;
  }

  public static RaftPeer peer(ReplicaPeer replica) {
    return RaftPeer.newBuilder()
        .setId(RaftPeerId.valueOf(replica.nodeId()))
        .setAddress(replica.address())
        .setPriority(replica.priority())
        .build();
  }

  public static RaftGroup group(PartitionId partitionId, List<ReplicaPeer> replicas) {
    return RaftGroup.valueOf(groupId(partitionId), replicas.stream().map(PartitionGroups::peer).toList());
  }
}
