package io.cairn.admin;

import java.util.Objects;

/**
 * A storage node as the auto-admin sees it: alive or dead since {@code sinceMs} (on the clock the
 * caller passes to {@link AutoAdmin#decide}), and how many replicas it may host.
 */
public record StorageNode(NodeId id, AzId az, boolean alive, long sinceMs, int replicaCapacity) {
  public StorageNode {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(az, "az");
    if (replicaCapacity < 0) {
      throw new IllegalArgumentException(id + ": replica capacity must not be negative");
    }
  }

  public StorageNode died(long nowMs) {
    return new StorageNode(id, az, false, nowMs, replicaCapacity);
  }

  public StorageNode recovered(long nowMs) {
    return new StorageNode(id, az, true, nowMs, replicaCapacity);
  }
}
