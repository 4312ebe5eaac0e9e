package io.cairn.admin;

import io.cairn.core.id.PartitionId;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A partition's replication group: its replicas and current leader (none during an election). */
public record PartitionView(PartitionId id, List<Replica> replicas, Optional<NodeId> leader) {
  public PartitionView {
    Objects.requireNonNull(id, "id");
    replicas = List.copyOf(replicas);
    Objects.requireNonNull(leader, "leader");
    Set<NodeId> nodes = new HashSet<>();
    for (Replica r : replicas) {
      if (!nodes.add(r.node())) {
        throw new IllegalArgumentException(id + " has two replicas on " + r.node());
      }
    }
  }

  /** A partition that has been created but not yet placed. */
  public static PartitionView unplaced(PartitionId id) {
    return new PartitionView(id, List.of(), Optional.empty());
  }

  public Optional<Replica> replicaOn(NodeId node) {
    return replicas.stream().filter(r -> r.node().equals(node)).findFirst();
  }

  /** True if some other replica is being built to replace the one on {@code node}. */
  public boolean isBeingReplaced(NodeId node) {
    return replicas.stream().anyMatch(r -> r.replacing().equals(Optional.of(node)));
  }
}
