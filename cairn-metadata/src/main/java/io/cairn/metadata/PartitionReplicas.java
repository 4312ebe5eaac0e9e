package io.cairn.metadata;

import io.cairn.core.id.PartitionId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one partition lives: the node ids of its replicas and the last known leader (a hint: the
 * partition's own Ratis group is the authority; a router that hears NotLeader refreshes this).
 * {@code leaderHint} is empty when unknown. {@code version} is the service's revision at the last
 * change.
 *
 * <p>{@code replacement}, when present, is a repair in progress: a new replica is being filled on
 * {@link Replacement#fillingNodeId()} to take the place of {@link Replacement#replacedNodeId()}
 * (one of {@code replicaNodeIds}). Until the partition's Ratis group has committed the new
 * membership, {@code replicaNodeIds} still names the replaced node, so routers keep addressing the
 * group as it is; the filling node is told to create its (empty) replica. At most one replacement
 * per partition is in progress.
 */
public record PartitionReplicas(PartitionId partitionId, List<String> replicaNodeIds, String leaderHint, long version,
    Optional<Replacement> replacement) {

  /** A replica being filled on {@code fillingNodeId} to replace the one on {@code replacedNodeId}. */
  public record Replacement(String fillingNodeId, String replacedNodeId) {
    public Replacement {
      Objects.requireNonNull(fillingNodeId, "fillingNodeId");
      Objects.requireNonNull(replacedNodeId, "replacedNodeId");
      if (fillingNodeId.equals(replacedNodeId)) {
        throw new IllegalArgumentException(fillingNodeId + " cannot replace itself");
      }
    }
  }

  public PartitionReplicas {
    Objects.requireNonNull(partitionId, "partitionId");
    replicaNodeIds = List.copyOf(replicaNodeIds);
    Objects.requireNonNull(leaderHint, "leaderHint");
    Objects.requireNonNull(replacement, "replacement");
  }

  /** An assignment with no replacement in progress. */
  public PartitionReplicas(PartitionId partitionId, List<String> replicaNodeIds, String leaderHint, long version) {
    this(partitionId, replicaNodeIds, leaderHint, version, Optional.empty());
  }

  /** Whether {@code nodeId} holds, or is being filled with, a replica of this partition. */
  public boolean names(String nodeId) {
    return replicaNodeIds.contains(nodeId)
        || replacement.map(r -> r.fillingNodeId().equals(nodeId)).orElse(false);
  }

  /** The replica set once the replacement in progress is done (the replaced node's place taken). */
  public List<String> replicaNodeIdsAfterReplacement() {
    if (replacement.isEmpty()) {
      return replicaNodeIds;
    }
    Replacement r = replacement.get();
    return replicaNodeIds.stream().map(id -> id.equals(r.replacedNodeId()) ? r.fillingNodeId() : id).toList();
  }

  public PartitionReplicas withLeaderHint(String hint) {
    return new PartitionReplicas(partitionId, replicaNodeIds, hint, version, replacement);
  }
}
