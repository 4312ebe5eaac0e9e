package io.cairn.metadata;

import io.cairn.core.id.PartitionId;
import java.util.List;
import java.util.Objects;

/**
 * Where one partition lives: the node ids of its replicas and the last known leader (a hint: the
 * partition's own Ratis group is the authority; a router that hears NotLeader refreshes this).
 * {@code leaderHint} is empty when unknown. {@code version} is the service's revision at the last
 * change.
 */
public record PartitionReplicas(PartitionId partitionId, List<String> replicaNodeIds, String leaderHint, long version) {
  public PartitionReplicas {
    Objects.requireNonNull(partitionId, "partitionId");
    replicaNodeIds = List.copyOf(replicaNodeIds);
    Objects.requireNonNull(leaderHint, "leaderHint");
  }
}
