package io.cairn.admin;

import io.cairn.core.Invariants;

/**
 * The auto-admin's knobs, checked on construction.
 *
 * @param replicationFactor replicas per partition, each in a distinct AZ: 3 in a cluster, 1 in
 *     single-process mode (same code path)
 * @param deadNodeRepairAfterMs how long a node must have been dead before its replicas are replaced
 * @param repairsInFlightMax replacement replicas being filled at once, cluster-wide
 * @param leaderTransfersPerDecisionMax leadership transfers issued by one call to decide
 */
public record AdminConfig(
    int replicationFactor,
    long deadNodeRepairAfterMs,
    int repairsInFlightMax,
    int leaderTransfersPerDecisionMax) {

  /** How long a node must be dead before its replicas are replaced, unless configured otherwise. */
  public static final long DEAD_NODE_REPAIR_AFTER_MS_DEFAULT = 60_000;

  public static AdminConfig cluster() {
    return new AdminConfig(3, DEAD_NODE_REPAIR_AFTER_MS_DEFAULT, 8, 4);
  }

  /** The same knobs with another repair timeout (a test cluster's, shorter than 60 s). */
  public AdminConfig withDeadNodeRepairAfterMs(long ms) {
    return new AdminConfig(replicationFactor, ms, repairsInFlightMax, leaderTransfersPerDecisionMax);
  }

  public static AdminConfig singleProcess() {
    return new AdminConfig(1, DEAD_NODE_REPAIR_AFTER_MS_DEFAULT, 8, 4);
  }

  public AdminConfig {
    Invariants.check(replicationFactor >= 1 && replicationFactor <= 7,
        "replicationFactor must be 1..7, was %d", replicationFactor);
    Invariants.check(deadNodeRepairAfterMs >= 0, "deadNodeRepairAfterMs must not be negative");
    Invariants.check(repairsInFlightMax >= 1, "repairsInFlightMax must be at least 1");
    Invariants.check(leaderTransfersPerDecisionMax >= 0,
        "leaderTransfersPerDecisionMax must not be negative");
  }
}
