package io.cairn.endpoint;

import io.cairn.core.Invariants;

/**
 * An enactor's limits. The lease must outlast a cycle's batches by a wide margin; the keep count
 * bounds how far back an operator can roll back without rebuilding a tree.
 */
public record EnactorConfig(long leaseMs, int keepPlans, Mode mode) {
  public static final long LEASE_MS_MIN = 1_000;

  public EnactorConfig {
    Invariants.check(leaseMs >= LEASE_MS_MIN, "leaseMs %d < %d", leaseMs, LEASE_MS_MIN);
    Invariants.check(keepPlans >= 1 && keepPlans <= 100, "keepPlans %d", keepPlans);
  }

  public static EnactorConfig guarded() {
    return new EnactorConfig(30_000, 5, Mode.GUARDED);
  }
}
