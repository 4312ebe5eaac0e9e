package io.cairn.replication;

import io.cairn.core.Invariants;
import io.cairn.storage.Durability;

/**
 * Every timeout and limit of the replication layer, in one place, checked against each other.
 *
 * @param electionTimeoutMinMs a follower that hears no leader for a random time in
 *     [min, max] starts an election. Ratis's default (150–300 ms) is too eager for many groups
 *     per node on small machines (the probe's 100 groups were unstable); 1–2 s steadied them, at
 *     the price of a failover that takes about that long plus one round trip
 * @param electionTimeoutMaxMs upper end of the election timeout
 * @param serverRequestTimeoutMs how long a leader waits for a follower's append reply
 * @param clientRequestTimeoutMs how long a client waits for one attempt before trying again
 *     (another server, when the one it tried has gone silent); a retry keeps its call id, so a
 *     write that did commit is not applied twice. It bounds how long a request sticks to a dead
 *     leader, so it is part of the failover time: 3 s pushed the failover test past its 5 s bound
 *     on a loaded machine; 1.5 s is kept (reads no longer go through the ordered window, where a
 *     timeout used to fail the requests queued behind it)
 * @param writeDeadlineMs how long a client keeps retrying a write (leader changes included)
 * @param clientRetrySleepMs pause between a client's retries
 * @param localBatchCommandsMax commands one in-process log entry may carry
 * @param localEntriesInFlightMax entries an in-process writer keeps in flight per partition
 * @param applyDurability how the state machine commits to the engine (the Ratis log is fsynced)
 * @param snapshotEveryEntries a division snapshots its partition after this many entries, and
 *     Ratis then purges the log before it (0: never; the log grows without bound)
 * @param logSegmentBytesMax size of one Ratis log segment; the log is purged by whole segments
 * @param logPurgeGapEntries the log is purged only when at least this many entries can go
 */
public record ReplicationOptions(
    long electionTimeoutMinMs,
    long electionTimeoutMaxMs,
    long serverRequestTimeoutMs,
    long clientRequestTimeoutMs,
    long writeDeadlineMs,
    long clientRetrySleepMs,
    int localBatchCommandsMax,
    int localEntriesInFlightMax,
    Durability applyDurability,
    long snapshotEveryEntries,
    long logSegmentBytesMax,
    int logPurgeGapEntries) {

  public ReplicationOptions {
    Invariants.check(electionTimeoutMinMs >= 100, "election timeout min %s ms is below 100 ms", electionTimeoutMinMs);
    Invariants.check(electionTimeoutMaxMs > electionTimeoutMinMs, "election timeout max must exceed min");
    Invariants.check(serverRequestTimeoutMs >= electionTimeoutMinMs,
        "server request timeout %s ms below the election timeout", serverRequestTimeoutMs);
    Invariants.check(clientRequestTimeoutMs >= 100 && clientRequestTimeoutMs < writeDeadlineMs,
        "client request timeout %s ms", clientRequestTimeoutMs);
    Invariants.check(writeDeadlineMs > electionTimeoutMaxMs,
        "a write deadline of %s ms cannot outlast one election (%s ms)", writeDeadlineMs, electionTimeoutMaxMs);
    Invariants.check(clientRetrySleepMs > 0 && clientRetrySleepMs < writeDeadlineMs, "bad retry sleep");
    Invariants.check(localBatchCommandsMax >= 1 && localBatchCommandsMax <= CommandCodec.COMMANDS_PER_ENTRY_MAX,
        "local batch of %s commands", localBatchCommandsMax);
    Invariants.check(localEntriesInFlightMax >= 1, "at least one entry in flight");
    Invariants.check(snapshotEveryEntries >= 0, "snapshot interval %s", snapshotEveryEntries);
    Invariants.check(logSegmentBytesMax >= 16 * 1024, "log segments of %s bytes", logSegmentBytesMax);
    Invariants.check(logPurgeGapEntries >= 1, "purge gap %s", logPurgeGapEntries);
  }

  public static ReplicationOptions defaults() {
    return new ReplicationOptions(1_000, 2_000, 3_000, 1_500, 10_000, 50, 256, 4, Durability.PROCESS_CRASH_SAFE,
        100_000, 8L << 20, 1_024);
  }

  /** The same options with another snapshot interval, log segment size and purge gap. */
  public ReplicationOptions withSnapshots(long everyEntries, long segmentBytesMax, int purgeGapEntries) {
    return new ReplicationOptions(electionTimeoutMinMs, electionTimeoutMaxMs, serverRequestTimeoutMs,
        clientRequestTimeoutMs, writeDeadlineMs, clientRetrySleepMs, localBatchCommandsMax, localEntriesInFlightMax, applyDurability,
        everyEntries, segmentBytesMax, purgeGapEntries);
  }

  /**
   * The same options with another client deadline; one attempt's timeout shrinks to half the
   * deadline if it would not fit, so a short deadline still leaves room for a second attempt.
   */
  public ReplicationOptions withWriteDeadlineMs(long deadlineMs) {
    return new ReplicationOptions(electionTimeoutMinMs, electionTimeoutMaxMs, serverRequestTimeoutMs,
        Math.min(clientRequestTimeoutMs, deadlineMs / 2), deadlineMs, clientRetrySleepMs, localBatchCommandsMax, localEntriesInFlightMax, applyDurability,
        snapshotEveryEntries, logSegmentBytesMax, logPurgeGapEntries);
  }
}
