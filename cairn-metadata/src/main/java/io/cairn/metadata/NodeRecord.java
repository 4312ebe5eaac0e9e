package io.cairn.metadata;

import java.util.Objects;

/**
 * A storage node. {@code lastHeartbeatMs} is the time carried by the last register/heartbeat
 * command (stamped by the sender), so every member applies the same value.
 */
public record NodeRecord(String nodeId, String az, String address, long lastHeartbeatMs, NodeHealth health) {
  public NodeRecord {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(az, "az");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(health, "health");
  }
}
