package io.cairn.metadata;

/**
 * Tunables of a metadata group member. The metadata group is one small group, so its election
 * timeouts can be short (the probe's instability came from 100 groups, not one).
 */
public record MetadataServerOptions(
    long electionTimeoutMinMs, long electionTimeoutMaxMs, boolean leaderLeaseEnabled, long snapshotEveryEntries) {

  public static MetadataServerOptions defaults() {
    return new MetadataServerOptions(1000, 2000, true, 10_000);
  }

  public MetadataServerOptions {
    if (electionTimeoutMinMs < 100 || electionTimeoutMaxMs <= electionTimeoutMinMs) {
      throw new IllegalArgumentException("election timeouts: need 100 <= min < max, got " + electionTimeoutMinMs + ", " + electionTimeoutMaxMs);
    }
    if (snapshotEveryEntries < 1) {
      throw new IllegalArgumentException("snapshotEveryEntries must be positive");
    }
  }

  public MetadataServerOptions withSnapshotEveryEntries(long entries) {
    return new MetadataServerOptions(electionTimeoutMinMs, electionTimeoutMaxMs, leaderLeaseEnabled, entries);
  }

  public MetadataServerOptions withElectionTimeoutsMs(long minMs, long maxMs) {
    return new MetadataServerOptions(minMs, maxMs, leaderLeaseEnabled, snapshotEveryEntries);
  }
}
