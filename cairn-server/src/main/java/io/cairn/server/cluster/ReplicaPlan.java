package io.cairn.server.cluster;

import io.cairn.core.id.PartitionId;
import io.cairn.metadata.PartitionReplicas;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a storage node does to follow the metadata service's assignments, as a pure function of
 * them and of the replicas it hosts ({@link StorageProcess} carries the steps out):
 *
 * <ul>
 *   <li>a partition that names this node as a replica and that it does not host: create the
 *       replica with the whole group ({@link Step.Create}; every member does the same and the
 *       group elects a leader once two have);
 *   <li>a partition whose replacement in progress is being filled on this node: add an empty
 *       replica for the group's leader to bring in ({@link Step.Join});
 *   <li>a hosted partition whose assignment no longer names this node (its replica was replaced
 *       while the node was away): drop the replica and its items ({@link Step.Drop}), once the
 *       group itself confirms this node is no longer a member — the assignment alone may be stale;
 *   <li>a hosted partition with no assignment whose table is gone: drop it ({@link
 *       Step.DropDeleted}); with no assignment but a live table (a metadata service restored from
 *       an old snapshot, say), keep it and say so ({@link Step.KeepUnassigned}).
 * </ul>
 */
final class ReplicaPlan {
  private ReplicaPlan() {}

  sealed interface Step {
    PartitionId partitionId();

    /** A new replica of a group being formed (or re-formed) on {@code members}, this node among them. */
    record Create(PartitionId partitionId, List<String> members) implements Step {
      public Create {
        members = List.copyOf(members);
      }
    }

    /** An empty replica that the group's leader will fill and bring in ({@code replacing} leaves). */
    record Join(PartitionId partitionId, String replacing, List<String> members) implements Step {
      public Join {
        members = List.copyOf(members);
      }
    }

    /** This node's replica was replaced: the group named by {@code members} goes on without it. */
    record Drop(PartitionId partitionId, List<String> members) implements Step {
      public Drop {
        members = List.copyOf(members);
      }
    }

    /** The partition's table is gone. */
    record DropDeleted(PartitionId partitionId) implements Step {}

    /** Not assigned to anyone, yet its table exists: kept, never deleted on this evidence alone. */
    record KeepUnassigned(PartitionId partitionId) implements Step {}
  }

  /**
   * The steps for node {@code self}, in partition order.
   *
   * @param partitionsOfLiveTables asked only when a hosted partition has no assignment
   */
  static List<Step> plan(String self, List<PartitionReplicas> assignments, Set<PartitionId> hosted,
      Supplier<Set<PartitionId>> partitionsOfLiveTables) {
    Map<PartitionId, PartitionReplicas> byId = new HashMap<>();
    for (PartitionReplicas a : assignments) {
      byId.put(a.partitionId(), a);
    }
    List<Step> steps = new ArrayList<>();
    for (PartitionReplicas a : assignments) {
      if (hosted.contains(a.partitionId())) {
        continue;
      }
      if (a.replicaNodeIds().contains(self)) {
        steps.add(new Step.Create(a.partitionId(), a.replicaNodeIds()));
      } else if (a.replacement().isPresent() && a.replacement().get().fillingNodeId().equals(self)) {
        steps.add(new Step.Join(a.partitionId(), a.replacement().get().replacedNodeId(), a.replicaNodeIds()));
      }
    }
    Set<PartitionId> live = null;
    for (PartitionId partitionId : hosted) {
      PartitionReplicas a = byId.get(partitionId);
      if (a != null && a.names(self)) {
        continue;
      }
      if (a != null) {
        steps.add(new Step.Drop(partitionId, a.replicaNodeIds()));
        continue;
      }
      if (live == null) {
        live = partitionsOfLiveTables.get();
      }
      steps.add(live.contains(partitionId) ? new Step.KeepUnassigned(partitionId) : new Step.DropDeleted(partitionId));
    }
    steps.sort(Comparator.comparingLong(s -> s.partitionId().value()));
    return steps;
  }
}
