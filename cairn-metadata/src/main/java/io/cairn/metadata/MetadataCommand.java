package io.cairn.metadata;

import io.cairn.core.id.PartitionId;
import java.util.List;
import java.util.Objects;

/**
 * A change to the metadata service's state. Every command goes through the Ratis log and is applied
 * by {@link MetadataState#apply} on every member in the same order; a command therefore carries
 * everything it needs (including times), never reads a clock.
 */
public sealed interface MetadataCommand {

  /** Version to pass when a delete or a replica change must not be conditional. */
  long ANY_VERSION = -1;

  /** Creates a table; {@link MetadataReply.AlreadyExists} if the name is taken. */
  record CreateTable(String name, byte[] definition) implements MetadataCommand {
    public CreateTable {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(definition, "definition");
    }
  }

  /**
   * Replaces a table's definition if its current version is {@code expectedVersion}; otherwise
   * {@link MetadataReply.Conflict} with the current version, so two control-plane changes that
   * started from the same version cannot both win.
   */
  record CompareAndSetTable(String name, long expectedVersion, byte[] definition) implements MetadataCommand {
    public CompareAndSetTable {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(definition, "definition");
    }
  }

  /** Deletes a table, conditionally on its version unless {@link #ANY_VERSION}. */
  record DeleteTable(String name, long expectedVersion) implements MetadataCommand {
    public DeleteTable {
      Objects.requireNonNull(name, "name");
    }
  }

  /** Hands out {@code count} consecutive ids of one kind, never handed out before. */
  record AllocateIds(IdKind kind, int count) implements MetadataCommand {
    public AllocateIds {
      Objects.requireNonNull(kind, "kind");
    }
  }

  /** Registers (or re-registers after a restart) a storage node; it becomes UP. */
  record RegisterNode(String nodeId, String az, String address, long atMs) implements MetadataCommand {
    public RegisterNode {
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(az, "az");
      Objects.requireNonNull(address, "address");
    }
  }

  /**
   * A registered node is alive at {@code atMs} and leads the partitions {@code leading} (which
   * become those partitions' leader hints). Does not change a DRAINING or DOWN node's health.
   */
  record Heartbeat(String nodeId, long atMs, List<PartitionId> leading) implements MetadataCommand {
    public Heartbeat {
      Objects.requireNonNull(nodeId, "nodeId");
      leading = List.copyOf(leading);
    }

    public Heartbeat(String nodeId, long atMs) {
      this(nodeId, atMs, List.of());
    }
  }

  /** Auto-admin's verdict on a node (e.g. DOWN after its heartbeat timeout). */
  record SetNodeHealth(String nodeId, NodeHealth health) implements MetadataCommand {
    public SetNodeHealth {
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(health, "health");
    }
  }

  /**
   * Records where a partition's replicas are, conditionally on the assignment's version unless
   * {@link #ANY_VERSION}. Every replica must be a registered node; the leader hint must be one of
   * them or empty. An empty replica list removes the partition (after its table was deleted).
   */
  record SetPartitionReplicas(PartitionId partitionId, List<String> replicaNodeIds, String leaderHint, long expectedVersion)
      implements MetadataCommand {
    public SetPartitionReplicas {
      Objects.requireNonNull(partitionId, "partitionId");
      replicaNodeIds = List.copyOf(replicaNodeIds);
      Objects.requireNonNull(leaderHint, "leaderHint");
    }
  }

  /**
   * Starts replacing the replica on {@code replacedNodeId} with a new one on {@code fillingNodeId}
   * (auto-admin's repair of a dead node): recorded as the assignment's replacement, conditionally
   * on its version unless {@link #ANY_VERSION}. The replaced node must be a replica, the filling
   * node a registered node that is not, and no other replacement may be in progress.
   */
  record BeginReplacement(PartitionId partitionId, String fillingNodeId, String replacedNodeId, long expectedVersion)
      implements MetadataCommand {
    public BeginReplacement {
      Objects.requireNonNull(partitionId, "partitionId");
      Objects.requireNonNull(fillingNodeId, "fillingNodeId");
      Objects.requireNonNull(replacedNodeId, "replacedNodeId");
    }
  }

  /**
   * The partition's Ratis group has committed the membership with the filled replica and without
   * the replaced one: the assignment names the new set (the filling node in the replaced node's
   * place) and the replacement is cleared. Conditional on the version unless {@link #ANY_VERSION}.
   */
  record FinishReplacement(PartitionId partitionId, long expectedVersion) implements MetadataCommand {
    public FinishReplacement {
      Objects.requireNonNull(partitionId, "partitionId");
    }
  }

  /**
   * Drops the replacement in progress (its filling node died, or the group never took it in): the
   * replica set stays as it was. Conditional on the version unless {@link #ANY_VERSION}.
   */
  record AbandonReplacement(PartitionId partitionId, long expectedVersion) implements MetadataCommand {
    public AbandonReplacement {
      Objects.requireNonNull(partitionId, "partitionId");
    }
  }
}
