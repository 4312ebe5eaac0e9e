package io.cairn.replication;

import io.cairn.core.Invariants;
import io.cairn.core.id.PartitionId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides when a partition's leader should hand its leadership away because one of its followers
 * answers but no longer advances: observations of the divisions this node leads in, decisions out.
 * Pure: no Ratis, no clock, no thread; {@link LaggingFollowerWatch} drives it.
 *
 * <p>Why: Ratis 3.3.0 (RATIS-2605; the fix, apache/ratis pull request 1519, was merged in July 2026
 * and is in no release as of November 2026) lets a heartbeat's success reply from
 * a follower with a divergent tail advance the leader's match index for it; the index it should
 * back off to is then below that match index, so the leader keeps sending an append the follower
 * refuses, forever. A new leader starts with fresh log appenders and brings the follower in. The
 * follower keeps answering (its refusals are answers), so the node is not dead and replica repair
 * never touches it; meanwhile it serves stale eventually consistent reads and the partition runs
 * on two replicas.
 *
 * <p>A follower's progress is the smaller of the leader's match index for it and the commit index
 * the follower last reported: the bug can push the match index up to or past the leader's commit
 * index, but a follower never commits an entry it does not share with the leader, and a refused
 * append does not update what the leader knows of the follower's commit index. A follower is
 * <em>lagging</em> when, for {@link Limits#stuckAfterMs} on end, it answered within
 * {@link Limits#followerSilentMsMax} at every look, its progress stayed below the leader's commit
 * index and did not advance, and the leader was not sending it a snapshot (its next index is not
 * below the leader's first log index). A follower that advances, even slowly, is left alone: it is
 * slow, not stuck, and new appenders would not make it faster. A silent follower is left to
 * replica repair.
 *
 * <p>The remedy is a transfer to a follower that is <em>caught up</em>: answering, allowed to lead
 * (the group's highest priority, so never a log replica), its match index at the leader's commit
 * index, and its progress at that index or advancing since the last look. No transfer while the
 * group's membership changes (repair at work), none without a caught-up follower, and at most one
 * per partition per {@link Limits#transferIntervalMsMin}, even across leadership changes of this
 * node.
 *
 * <p>Not thread-safe: one caller ({@link LaggingFollowerWatch}'s timer thread).
 */
final class LaggingFollowerRule {

  /**
   * The rule's limits, checked against each other.
   *
   * @param pollIntervalMs how often the leaders are looked at
   * @param stuckAfterMs how long a follower must answer without advancing, below the commit index,
   *     before it counts as lagging
   * @param followerSilentMsMax a follower whose last answer is older than this is silent, not
   *     lagging; its stall clock starts again. It must exceed the gap between two answers of a
   *     stuck follower: Ratis's appender waits up to ~7.5 s between attempts once a follower has
   *     refused 30 times (retry policy "1ms,10, 1s,20, 5s,1000", randomized by half each way), and
   *     the one chaos run that showed the bug logged replies up to 6.9 s apart
   * @param transferIntervalMsMin at most one transfer per partition within this interval
   * @param transferTimeoutMs how long Ratis may wait for the target to catch up before it gives up
   *     the transfer (writes to the partition are refused meanwhile)
   */
  record Limits(long pollIntervalMs, long stuckAfterMs, long followerSilentMsMax, long transferIntervalMsMin,
      long transferTimeoutMs) {

    Limits {
      Invariants.check(pollIntervalMs > 0, "poll interval %s ms", pollIntervalMs);
      Invariants.check(followerSilentMsMax > 0, "follower silence %s ms", followerSilentMsMax);
      // A follower that died while behind must go silent before its stall could count as stuck.
      Invariants.check(stuckAfterMs > followerSilentMsMax + pollIntervalMs,
          "stuck after %s ms must exceed the follower silence %s ms plus a poll %s ms", stuckAfterMs,
          followerSilentMsMax, pollIntervalMs);
      Invariants.check(transferIntervalMsMin >= stuckAfterMs,
          "transfer interval %s ms below the stuck threshold %s ms", transferIntervalMsMin, stuckAfterMs);
      Invariants.check(transferTimeoutMs > 0 && transferTimeoutMs < transferIntervalMsMin,
          "transfer timeout %s ms", transferTimeoutMs);
    }

    /**
     * Production's: the bug's follower is handed a new leader ~16 s after it stops advancing (the
     * chaos test checks convergence 30 s after the heal); 3 s for the transfer as leader balancing
     * gives it.
     */
    static Limits production() {
      return new Limits(1_000, 15_000, 10_000, 60_000, 3_000);
    }
  }

  /**
   * What the leader knows of one voting follower.
   *
   * @param nodeId the follower's node (its Ratis peer id)
   * @param matchIndex the leader's match index for it
   * @param nextIndex the next index the leader will send it
   * @param commitIndex the commit index the follower last reported (0 when it never did)
   * @param lastReplyElapsedMs time since the follower last answered the leader, refusals included
   * @param leaderEligible whether it may lead (the group's highest priority)
   */
  record Follower(String nodeId, long matchIndex, long nextIndex, long commitIndex, long lastReplyElapsedMs,
      boolean leaderEligible) {

    long progressIndex() {
      return Math.min(matchIndex, commitIndex);
    }
  }

  /**
   * One look at a division this node leads (and whose leadership is ready).
   *
   * @param term the leader's term (a new term means new log appenders)
   * @param commitIndex the leader's commit index
   * @param logStartIndex the first index still in the leader's log
   * @param membershipChanging whether the group is in a joint configuration
   * @param followers the voting followers of the current configuration
   */
  record Observation(PartitionId partitionId, long term, long commitIndex, long logStartIndex,
      boolean membershipChanging, List<Follower> followers) {

    Observation {
      followers = List.copyOf(followers);
    }
  }

  /** A lagging follower as the decision reports it. */
  record Lag(String nodeId, long progressIndex, long matchIndex, long leaderCommitIndex, long stalledMs) {}

  /** Why a lagging follower was left as it is. */
  enum HoldReason {
    /** No other follower is caught up: a transfer would stall the partition or lose the majority. */
    NO_CAUGHT_UP_FOLLOWER,
    /** A transfer for this partition happened less than the interval ago. */
    RATE_LIMITED
  }

  /** What to do about one partition; partitions with nothing to report produce no decision. */
  sealed interface Decision {
    PartitionId partitionId();

    /** Hand leadership to {@code targetNodeId}. */
    record Transfer(PartitionId partitionId, long term, Lag lagging, String targetNodeId) implements Decision {}

    /** A follower is lagging but nothing is done. */
    record Hold(PartitionId partitionId, long term, Lag lagging, HoldReason reason) implements Decision {}
  }

  private static final class Track {
    long progressIndex;
    long stalledSinceMs;

    Track(long progressIndex, long stalledSinceMs) {
      this.progressIndex = progressIndex;
      this.stalledSinceMs = stalledSinceMs;
    }
  }

  private static final class Led {
    final long term;
    final Map<String, Track> followers = new HashMap<>();

    Led(long term) {
      this.term = term;
    }
  }

  private final Limits limits;
  private final Map<PartitionId, Led> led = new HashMap<>();
  /** When this node last decided a transfer per partition; entries older than the interval go. */
  private final Map<PartitionId, Long> lastTransferAtMs = new HashMap<>();
  private long lastNowMs = Long.MIN_VALUE;

  LaggingFollowerRule(Limits limits) {
    this.limits = limits;
  }

  Limits limits() {
    return limits;
  }

  /**
   * Takes one look at every division this node leads now; a partition absent from
   * {@code observations} is no longer led here and its history is dropped (if this node leads it
   * again, its followers are judged from scratch: the appenders are new).
   *
   * @param nowMs a monotonic clock
   */
  List<Decision> decide(long nowMs, List<Observation> observations) {
    Invariants.check(nowMs >= lastNowMs, "clock went back from %s to %s ms", lastNowMs, nowMs);
    lastNowMs = nowMs;
    Set<PartitionId> seen = new HashSet<>();
    List<Decision> decisions = new ArrayList<>();
    for (Observation observation : observations) {
      Invariants.check(seen.add(observation.partitionId()), "partition %s observed twice in one look",
          observation.partitionId());
      Decision decision = decide(nowMs, observation);
      if (decision != null) {
        decisions.add(decision);
      }
    }
    led.keySet().retainAll(seen);
    lastTransferAtMs.values().removeIf(atMs -> nowMs - atMs >= limits.transferIntervalMsMin());
    return decisions;
  }

  private Decision decide(long nowMs, Observation observation) {
    Led state = led.get(observation.partitionId());
    if (state == null || state.term != observation.term()) {
      state = new Led(observation.term());
      led.put(observation.partitionId(), state);
    }
    if (observation.membershipChanging()) {
      state.followers.clear();
      return null;
    }
    Set<String> present = new HashSet<>();
    List<Follower> caughtUp = new ArrayList<>();
    Lag lagging = null;
    for (Follower follower : observation.followers()) {
      present.add(follower.nodeId());
      Track track = state.followers.get(follower.nodeId());
      long progress = follower.progressIndex();
      boolean advanced = track != null && progress > track.progressIndex;
      boolean answering = follower.lastReplyElapsedMs() <= limits.followerSilentMsMax();
      boolean atCommit = progress >= observation.commitIndex();
      boolean sentSnapshot = follower.nextIndex() < observation.logStartIndex();
      if (answering && follower.leaderEligible() && follower.matchIndex() >= observation.commitIndex()
          && (atCommit || advanced)) {
        caughtUp.add(follower);
      }
      if (track == null) {
        state.followers.put(follower.nodeId(), new Track(progress, nowMs));
        continue;
      }
      if (advanced || atCommit || !answering || sentSnapshot) {
        track.progressIndex = progress;
        track.stalledSinceMs = nowMs;
        continue;
      }
      long stalledMs = nowMs - track.stalledSinceMs;
      if (stalledMs >= limits.stuckAfterMs() && (lagging == null || stalledMs > lagging.stalledMs())) {
        lagging = new Lag(follower.nodeId(), progress, follower.matchIndex(), observation.commitIndex(), stalledMs);
      }
    }
    state.followers.keySet().retainAll(present);
    if (lagging == null) {
      return null;
    }
    String laggingNodeId = lagging.nodeId();
    Follower target = caughtUp.stream()
        .filter(f -> !f.nodeId().equals(laggingNodeId))
        .max(Comparator.comparingLong(Follower::matchIndex).thenComparing(Follower::nodeId, Comparator.reverseOrder()))
        .orElse(null);
    if (target == null) {
      return new Decision.Hold(observation.partitionId(), observation.term(), lagging, HoldReason.NO_CAUGHT_UP_FOLLOWER);
    }
    Long lastAtMs = lastTransferAtMs.get(observation.partitionId());
    if (lastAtMs != null && nowMs - lastAtMs < limits.transferIntervalMsMin()) {
      return new Decision.Hold(observation.partitionId(), observation.term(), lagging, HoldReason.RATE_LIMITED);
    }
    lastTransferAtMs.put(observation.partitionId(), nowMs);
    // Should the transfer fail and this node keep leading, the follower must stall a full window again.
    state.followers.clear();
    return new Decision.Transfer(observation.partitionId(), observation.term(), lagging, target.nodeId());
  }
}
