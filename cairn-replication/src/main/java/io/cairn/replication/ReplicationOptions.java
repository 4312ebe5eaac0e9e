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
 * @param writeDeadlineMs how long a client keeps retrying a write (leader changes included)
 * @param clientRetrySleepMs pause between a client's retries
 * @param localBatchCommandsMax commands one in-process log entry may carry
 * @param localEntriesInFlightMax entries an in-process writer keeps in flight per partition
 * @param applyDurability how the state machine commits to the engine (the Ratis log is fsynced)
 */
public record ReplicationOptions(
    long electionTimeoutMinMs,
    long electionTimeoutMaxMs,
    long serverRequestTimeoutMs,
    long writeDeadlineMs,
    long clientRetrySleepMs,
    int localBatchCommandsMax,
    int localEntriesInFlightMax,
    Durability applyDurability) {

  public ReplicationOptions {
    Invariants.check(electionTimeoutMinMs >= 100, "election timeout min %s ms is below 100 ms", electionTimeoutMinMs);
    Invariants.check(electionTimeoutMaxMs > electionTimeoutMinMs, "election timeout max must exceed min");
    Invariants.check(serverRequestTimeoutMs >= electionTimeoutMinMs,
        "server request timeout %s ms below the election timeout", serverRequestTimeoutMs);
    Invariants.check(writeDeadlineMs > electionTimeoutMaxMs,
        "a write deadline of %s ms cannot outlast one election (%s ms)", writeDeadlineMs, electionTimeoutMaxMs);
    Invariants.check(clientRetrySleepMs > 0 && clientRetrySleepMs < writeDeadlineMs, "bad retry sleep");
    Invariants.check(localBatchCommandsMax >= 1 && localBatchCommandsMax <= CommandCodec.COMMANDS_PER_ENTRY_MAX,
        "local batch of %s commands", localBatchCommandsMax);
    Invariants.check(localEntriesInFlightMax >= 1, "at least one entry in flight");
  }

  public static ReplicationOptions defaults() {
    return new ReplicationOptions(1_000, 2_000, 3_000, 10_000, 50, 256, 4, Durability.PROCESS_CRASH_SAFE);
  }
}
