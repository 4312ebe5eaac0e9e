package io.cairn.admin;

import io.cairn.core.id.PartitionId;
import java.util.List;
import java.util.Objects;

/**
 * What the auto-admin asks the cluster to do. Each decision is one log line ({@link #describe()})
 * naming things as operators see them. A decision stays "in flight" (passed back in
 * {@link ClusterView#inFlight()}) until the cluster has enacted it or given up on it.
 */
public sealed interface Decision {
  PartitionId partition();

  String describe();

  /** Create a new partition's replication group on these nodes, one per AZ. */
  record PlacePartition(PartitionId partition, List<NodeId> replicas, NodeId leader)
      implements Decision {
    public PlacePartition {
      Objects.requireNonNull(partition, "partition");
      replicas = List.copyOf(replicas);
      Objects.requireNonNull(leader, "leader");
    }

    @Override
    public String describe() {
      return "place " + partition + " replicas=" + replicas + " leader=" + leader;
    }
  }

  /**
   * Start building a replica on {@code target} (a non-voting member filled by snapshot and log
   * catch-up) to replace the replica on {@code replacing}.
   */
  record AddReplica(PartitionId partition, NodeId target, NodeId replacing, String reason)
      implements Decision {
    @Override
    public String describe() {
      return "add-replica " + partition + " on " + target + " replacing " + replacing + " ("
          + reason + ")";
    }
  }

  /** Remove the replica on {@code node}: its replacement on {@code replacedBy} is ready. */
  record RemoveReplica(PartitionId partition, NodeId node, NodeId replacedBy) implements Decision {
    @Override
    public String describe() {
      return "remove-replica " + partition + " from " + node + " (replaced by " + replacedBy
          + ", which is ready)";
    }
  }

  /** Drop a replacement that was still filling when its node died; another will be chosen. */
  record AbandonReplica(PartitionId partition, NodeId node, String reason) implements Decision {
    @Override
    public String describe() {
      return "abandon-replica " + partition + " on " + node + " (" + reason + ")";
    }
  }

  /** Hand leadership from {@code from} to {@code to} (both ready replicas on live nodes). */
  record TransferLeader(PartitionId partition, NodeId from, NodeId to, String reason)
      implements Decision {
    @Override
    public String describe() {
      return "transfer-leader " + partition + " " + from + " -> " + to + " (" + reason + ")";
    }
  }
}
