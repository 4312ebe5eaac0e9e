package io.cairn.admin;

import io.cairn.core.id.PartitionId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The auto-admin's scratch copy of the cluster during one call to decide: the view with the
 * in-flight decisions (and each new one) applied, plus per-node counts kept up to date.
 */
final class Working {
  static final class Partition {
    final PartitionId id;
    final List<Replica> replicas;
    NodeId leader;

    Partition(PartitionView view) {
      this.id = view.id();
      this.replicas = new ArrayList<>(view.replicas());
      this.leader = view.leader().orElse(null);
    }

    Optional<Replica> on(NodeId node) {
      return replicas.stream().filter(r -> r.node().equals(node)).findFirst();
    }

    boolean isBeingReplaced(NodeId node) {
      return replicas.stream().anyMatch(r -> r.replacing().equals(Optional.of(node)));
    }
  }

  final Map<NodeId, StorageNode> nodes;
  final Map<PartitionId, Partition> partitions;
  final Map<NodeId, Integer> hosted = new HashMap<>();
  final Map<NodeId, Integer> leaders = new HashMap<>();

  private Working(ClusterView view) {
    this.nodes = view.nodes();
    this.partitions = new TreeMap<>(java.util.Comparator.comparingLong(PartitionId::value));
    for (PartitionView p : view.partitions().values()) {
      Partition w = new Partition(p);
      partitions.put(p.id(), w);
      w.replicas.forEach(r -> hosted.merge(r.node(), 1, Integer::sum));
      if (w.leader != null) {
        leaders.merge(w.leader, 1, Integer::sum);
      }
    }
  }

  static Working of(ClusterView view) {
    Working w = new Working(view);
    view.inFlight().forEach(w::apply);
    return w;
  }

  int hosted(NodeId node) {
    return hosted.getOrDefault(node, 0);
  }

  int leaders(NodeId node) {
    return leaders.getOrDefault(node, 0);
  }

  boolean alive(NodeId node) {
    return nodes.get(node).alive();
  }

  AzId az(NodeId node) {
    return nodes.get(node).az();
  }

  /** Applies a decision as the cluster will enact it; decisions that no longer fit are ignored. */
  void apply(Decision decision) {
    Partition p = partitions.get(decision.partition());
    if (p == null) {
      return;
    }
    switch (decision) {
      case Decision.PlacePartition place -> {
        if (p.replicas.isEmpty()) {
          place.replicas().forEach(n -> add(p, Replica.ready(n)));
          setLeader(p, place.leader());
        }
      }
      case Decision.AddReplica add -> {
        if (p.on(add.target()).isEmpty()) {
          add(p, Replica.filling(add.target(), add.replacing()));
        }
      }
      case Decision.RemoveReplica remove -> {
        remove(p, remove.node());
        p.on(remove.replacedBy()).ifPresent(r -> p.replicas.set(p.replicas.indexOf(r),
            r.replacementDone()));
      }
      case Decision.AbandonReplica abandon -> remove(p, abandon.node());
      case Decision.TransferLeader transfer -> setLeader(p, transfer.to());
    }
  }

  private void add(Partition p, Replica r) {
    p.replicas.add(r);
    hosted.merge(r.node(), 1, Integer::sum);
  }

  private void remove(Partition p, NodeId node) {
    if (p.replicas.removeIf(r -> r.node().equals(node))) {
      hosted.merge(node, -1, Integer::sum);
      if (node.equals(p.leader)) {
        setLeader(p, null);
      }
    }
  }

  private void setLeader(Partition p, NodeId leader) {
    if (p.leader != null) {
      leaders.merge(p.leader, -1, Integer::sum);
    }
    p.leader = leader;
    if (leader != null) {
      leaders.merge(leader, 1, Integer::sum);
    }
  }
}
