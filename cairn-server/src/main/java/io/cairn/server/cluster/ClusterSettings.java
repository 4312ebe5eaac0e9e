package io.cairn.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.admin.AdminConfig;
import io.cairn.replication.ReplicationOptions;

/**
 * What every process of a local cluster reads from {@code cluster.json} besides the processes:
 * auto-admin's repair timeout (the metadata members) and how the storage nodes' partition logs are
 * compacted (snapshot interval, log segment size, purge gap). The defaults are production's; tests
 * shorten them to see a repair, or a replica filled from a snapshot, within seconds.
 *
 * @param deadNodeRepairAfterMs how long a storage node must be silent before auto-admin replaces
 *     its replicas
 * @param snapshotEveryEntries a partition replica snapshots after this many entries
 * @param logSegmentBytesMax one Ratis log segment; the log is purged by whole segments
 * @param logPurgeGapEntries the log is purged only when at least this many entries can go
 */
public record ClusterSettings(long deadNodeRepairAfterMs, long snapshotEveryEntries, long logSegmentBytesMax,
    int logPurgeGapEntries) {
  public static final ClusterSettings DEFAULTS = new ClusterSettings(AdminConfig.DEAD_NODE_REPAIR_AFTER_MS_DEFAULT,
      ReplicationOptions.defaults().snapshotEveryEntries(), ReplicationOptions.defaults().logSegmentBytesMax(),
      ReplicationOptions.defaults().logPurgeGapEntries());

  public ClusterSettings {
    if (deadNodeRepairAfterMs < 0) {
      throw new IllegalArgumentException("deadNodeRepairAfterMs must not be negative: " + deadNodeRepairAfterMs);
    }
    // The replication options check the log settings against each other.
    ReplicationOptions.defaults().withSnapshots(snapshotEveryEntries, logSegmentBytesMax, logPurgeGapEntries);
  }

  /** The storage nodes' replication options: production's, with these log settings. */
  public ReplicationOptions replication() {
    return ReplicationOptions.defaults().withSnapshots(snapshotEveryEntries, logSegmentBytesMax, logPurgeGapEntries);
  }

  public AdminConfig admin() {
    return AdminConfig.cluster().withDeadNodeRepairAfterMs(deadNodeRepairAfterMs);
  }

  public ClusterSettings withDeadNodeRepairAfterMs(long ms) {
    return new ClusterSettings(ms, snapshotEveryEntries, logSegmentBytesMax, logPurgeGapEntries);
  }

  public ClusterSettings withReplicationLog(long everyEntries, long segmentBytesMax, int purgeGapEntries) {
    return new ClusterSettings(deadNodeRepairAfterMs, everyEntries, segmentBytesMax, purgeGapEntries);
  }

  void writeTo(ObjectNode node) {
    node.put("deadNodeRepairAfterMs", deadNodeRepairAfterMs).put("snapshotEveryEntries", snapshotEveryEntries)
        .put("logSegmentBytesMax", logSegmentBytesMax).put("logPurgeGapEntries", logPurgeGapEntries);
  }

  /** A missing object or field (a file written before it existed) means the default. */
  static ClusterSettings readFrom(JsonNode node) {
    return new ClusterSettings(node.path("deadNodeRepairAfterMs").asLong(DEFAULTS.deadNodeRepairAfterMs()),
        node.path("snapshotEveryEntries").asLong(DEFAULTS.snapshotEveryEntries()),
        node.path("logSegmentBytesMax").asLong(DEFAULTS.logSegmentBytesMax()),
        node.path("logPurgeGapEntries").asInt(DEFAULTS.logPurgeGapEntries()));
  }
}
