package io.cairn.admin;

import io.cairn.core.id.PartitionId;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything the auto-admin decides from: the storage nodes, the partitions' replication groups,
 * and the decisions it issued earlier that the cluster has not yet enacted (the admin assumes they
 * will be, so it never issues the same repair twice).
 */
public record ClusterView(
    Map<NodeId, StorageNode> nodes, Map<PartitionId, PartitionView> partitions,
    List<Decision> inFlight) {

  private static final Comparator<PartitionId> BY_PARTITION_ID =
      Comparator.comparingLong(PartitionId::value);

  public ClusterView {
    nodes = Collections.unmodifiableMap(new TreeMap<>(nodes));
    TreeMap<PartitionId, PartitionView> sorted = new TreeMap<>(BY_PARTITION_ID);
    sorted.putAll(Objects.requireNonNull(partitions, "partitions"));
    partitions = Collections.unmodifiableMap(sorted);
    inFlight = List.copyOf(inFlight);
    for (Map.Entry<NodeId, StorageNode> e : nodes.entrySet()) {
      if (!e.getKey().equals(e.getValue().id())) {
        throw new IllegalArgumentException("node map key " + e.getKey() + " names "
            + e.getValue().id());
      }
    }
    for (PartitionView p : partitions.values()) {
      for (Replica r : p.replicas()) {
        if (!nodes.containsKey(r.node())) {
          throw new IllegalArgumentException(p.id() + " has a replica on unknown node " + r.node());
        }
      }
    }
  }

  public static ClusterView of(List<StorageNode> nodes, List<PartitionView> partitions,
      List<Decision> inFlight) {
    Map<NodeId, StorageNode> n = new TreeMap<>();
    nodes.forEach(node -> n.put(node.id(), node));
    Map<PartitionId, PartitionView> p = new TreeMap<>(BY_PARTITION_ID);
    partitions.forEach(part -> p.put(part.id(), part));
    return new ClusterView(n, p, inFlight);
  }
}
