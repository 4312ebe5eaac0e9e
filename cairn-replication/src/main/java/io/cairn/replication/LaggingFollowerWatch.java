package io.cairn.replication;

import io.cairn.core.id.PartitionId;
import io.cairn.replication.LaggingFollowerRule.Decision;
import io.cairn.replication.LaggingFollowerRule.HoldReason;
import io.cairn.replication.LaggingFollowerRule.Observation;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver around {@link LaggingFollowerRule}: once per poll interval it looks at every division
 * its storage node leads, and hands a partition's leadership to a caught-up follower when the rule
 * finds one follower stuck (Ratis 3.3.0's RATIS-2605; see the rule). One daemon thread per node;
 * the Ratis reads and the transfer call are behind {@link Leaders}.
 *
 * <p>Each decision is one structured log line ({@code component=lagging-follower-watch}); a
 * lagging follower that is left alone is logged once per partition and reason until it recovers.
 * Transfers started and failed are counted ({@link #transfersStarted}, {@link #transfersFailed});
 * storage nodes have no metrics registry yet, so nothing exports the counts.
 */
final class LaggingFollowerWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LaggingFollowerWatch.class);
  private static final String COMPONENT = "lagging-follower-watch";

  /** The node's divisions as the watch needs them. */
  interface Leaders {
    /** One observation per division this node leads with its leadership ready. */
    List<Observation> observeLeading();

    CompletableFuture<Void> transferLeadership(PartitionId partitionId, String targetNodeId, long timeoutMs);
  }

  private final String nodeId;
  private final Leaders leaders;
  private final LaggingFollowerRule rule;
  private final LongSupplier clockMs;
  private final AtomicLong polls = new AtomicLong();
  private final AtomicLong transfersStarted = new AtomicLong();
  private final AtomicLong transfersFailed = new AtomicLong();
  /** The hold last logged per partition, so a hold is logged once, not once a second. */
  private final Map<PartitionId, HoldReason> holdsLogged = new HashMap<>();
  private ScheduledExecutorService timer;

  LaggingFollowerWatch(String nodeId, Leaders leaders, LaggingFollowerRule.Limits limits, LongSupplier clockMs) {
    this.nodeId = nodeId;
    this.leaders = leaders;
    this.rule = new LaggingFollowerRule(limits);
    this.clockMs = clockMs;
  }

  /** Starts polling on a thread of its own. */
  synchronized LaggingFollowerWatch start() {
    if (timer == null) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "cairn-lagging-follower-watch-" + nodeId);
        thread.setDaemon(true);
        return thread;
      });
      long intervalMs = rule.limits().pollIntervalMs();
      timer.scheduleWithFixedDelay(this::poll, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** One look at the leaders and whatever it decides. Never throws: the timer must keep going. */
  synchronized void poll() {
    try {
      List<Decision> decisions = rule.decide(clockMs.getAsLong(), leaders.observeLeading());
      Set<PartitionId> held = new HashSet<>();
      for (Decision decision : decisions) {
        switch (decision) {
          case Decision.Transfer transfer -> transfer(transfer);
          case Decision.Hold hold -> {
            held.add(hold.partitionId());
            logHold(hold);
          }
        }
      }
      holdsLogged.keySet().retainAll(held);
      polls.incrementAndGet();
    } catch (RuntimeException e) {
      LOG.atWarn().setMessage("lagging follower watch: a poll failed").addKeyValue("component", COMPONENT)
          .addKeyValue("node", nodeId).setCause(e).log();
    }
  }

  private void transfer(Decision.Transfer transfer) {
    transfersStarted.incrementAndGet();
    LaggingFollowerRule.Lag lag = transfer.lagging();
    LOG.atWarn().setMessage("lagging follower: handing leadership to a caught-up follower")
        .addKeyValue("component", COMPONENT).addKeyValue("event", "transfer")
        .addKeyValue("node", nodeId).addKeyValue("partition", transfer.partitionId().toString())
        .addKeyValue("term", transfer.term()).addKeyValue("follower", lag.nodeId())
        .addKeyValue("followerIndex", lag.progressIndex()).addKeyValue("followerMatchIndex", lag.matchIndex())
        .addKeyValue("commitIndex", lag.leaderCommitIndex()).addKeyValue("stalledMs", lag.stalledMs())
        .addKeyValue("target", transfer.targetNodeId()).log();
    long timeoutMs = rule.limits().transferTimeoutMs();
    CompletableFuture<Void> done;
    try {
      done = leaders.transferLeadership(transfer.partitionId(), transfer.targetNodeId(), timeoutMs);
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    done.whenComplete((ignored, failure) -> {
      if (failure == null) {
        LOG.atInfo().setMessage("lagging follower: leadership handed over").addKeyValue("component", COMPONENT)
            .addKeyValue("event", "transferred").addKeyValue("node", nodeId)
            .addKeyValue("partition", transfer.partitionId().toString()).addKeyValue("target", transfer.targetNodeId())
            .log();
      } else {
        transfersFailed.incrementAndGet();
        LOG.atWarn().setMessage("lagging follower: leadership transfer failed").addKeyValue("component", COMPONENT)
            .addKeyValue("event", "transfer-failed").addKeyValue("node", nodeId)
            .addKeyValue("partition", transfer.partitionId().toString()).addKeyValue("target", transfer.targetNodeId())
            .addKeyValue("error", String.valueOf(failure.getMessage())).log();
      }
    });
  }

  private void logHold(Decision.Hold hold) {
    if (holdsLogged.put(hold.partitionId(), hold.reason()) == hold.reason()) {
      return;
    }
    LaggingFollowerRule.Lag lag = hold.lagging();
    LOG.atWarn().setMessage("lagging follower: left as it is").addKeyValue("component", COMPONENT)
        .addKeyValue("event", "hold").addKeyValue("reason", hold.reason().name())
        .addKeyValue("node", nodeId).addKeyValue("partition", hold.partitionId().toString())
        .addKeyValue("term", hold.term()).addKeyValue("follower", lag.nodeId())
        .addKeyValue("followerIndex", lag.progressIndex()).addKeyValue("followerMatchIndex", lag.matchIndex())
        .addKeyValue("commitIndex", lag.leaderCommitIndex()).addKeyValue("stalledMs", lag.stalledMs()).log();
  }

  /** Polls done without an error (a running watch keeps counting). */
  long polls() {
    return polls.get();
  }

  /** Transfers decided and started (whatever their outcome). */
  long transfersStarted() {
    return transfersStarted.get();
  }

  /** Transfers Ratis refused or that timed out. */
  long transfersFailed() {
    return transfersFailed.get();
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
