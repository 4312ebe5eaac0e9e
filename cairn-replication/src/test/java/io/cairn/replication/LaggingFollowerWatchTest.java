package io.cairn.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.id.PartitionId;
import io.cairn.partition.WriteOutcome;
import io.cairn.replication.LaggingFollowerRule.Follower;
import io.cairn.replication.LaggingFollowerRule.Limits;
import io.cairn.replication.LaggingFollowerRule.Observation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.ratis.server.RaftServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch on three real storage nodes (in-process Ratis, production timeouts): what
 * {@link RatisLeaders} reads from a leader, that a healthy group and a group with a dead follower
 * are left alone, and that a stuck follower makes the leader hand its leadership to the other
 * follower. RATIS-2605 itself cannot be produced on demand, so its follower is simulated in the
 * leader's view: one follower's indexes pinned where they were first seen while it keeps answering.
 *
 * <p>Each test runs its own watch on the leader's node with small limits (stuck after 3 s, silent
 * after 2 s, a look every 100 ms), through the same Ratis reads and transfer call as the node's own
 * watch, which runs alongside with production's limits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LaggingFollowerWatchTest {
  static final ReplicationOptions OPTIONS = ReplicationOptions.defaults();
  static final Limits LIMITS = new Limits(100, 3_000, 2_000, 60_000, 3_000);
  static final Duration ELECTION = Duration.ofSeconds(15);
  static final LongSupplier CLOCK_MS = () -> System.nanoTime() / 1_000_000;

  @TempDir static Path dir;
  LocalCluster cluster;
  RemotePartitionClient client;

  @BeforeAll
  void startCluster() {
    cluster = new LocalCluster(dir, OPTIONS);
    client = cluster.remoteClient(OPTIONS);
  }

  @AfterEach
  void restartStoppedNodes() {
    cluster.restartAllStopped();
  }

  @AfterAll
  void stopCluster() {
    client.close();
    cluster.close();
  }

  private void write(PartitionId p, String key, long value) {
    assertThat(client.write(p, Items.put(key, value)).orTimeout(30, TimeUnit.SECONDS).join())
        .isInstanceOf(WriteOutcome.Applied.class);
  }

  private void awaitAllApplied(PartitionId p, int leader) {
    LocalCluster.await(() -> {
      long target = cluster.node(leader).appliedIndex(p);
      for (int i = 0; i < LocalCluster.NODES; i++) {
        if (cluster.running(i) && cluster.node(i).appliedIndex(p) < target) {
          return false;
        }
      }
      return true;
    }, Duration.ofSeconds(20), "every running replica of " + p + " to apply the leader's index");
  }

  /** The leader's real view, restricted to one partition (other tests' partitions stay out). */
  private LaggingFollowerWatch.Leaders leadersOf(int node, PartitionId p) {
    RatisLeaders real = new RatisLeaders(cluster.node(node).server(), cluster.node(node)::transferLeadership);
    return new LaggingFollowerWatch.Leaders() {
      @Override
      public List<Observation> observeLeading() {
        return real.observeLeading().stream().filter(o -> o.partitionId().equals(p)).toList();
      }

      @Override
      public CompletableFuture<Void> transferLeadership(PartitionId partitionId, String targetNodeId, long timeoutMs) {
        return real.transferLeadership(partitionId, targetNodeId, timeoutMs);
      }
    };
  }

  /** Polls the watch every 100 ms for {@code ms}, running {@code between} after each poll. */
  private static void pollFor(LaggingFollowerWatch watch, long ms, Runnable between) {
    long deadline = System.nanoTime() + ms * 1_000_000;
    while (System.nanoTime() < deadline) {
      watch.poll();
      between.run();
      LocalCluster.pause(100);
    }
  }

  @Test
  void the_leader_sees_both_followers_at_its_commit_index_when_idle() {
    PartitionId p = cluster.createFullGroup(31, ELECTION);
    write(p, "k", 1);
    int leader = cluster.awaitLeader(p, ELECTION);
    awaitAllApplied(p, leader);
    // The followers learn the commit index with the next heartbeat, and report it in their reply.
    LocalCluster.await(() -> {
      Observation o = RatisLeaders.observe(p, division(leader, p));
      return o != null && o.followers().stream().allMatch(f -> f.progressIndex() == o.commitIndex());
    }, Duration.ofSeconds(10), "both followers to report the commit index");
    Observation o = RatisLeaders.observe(p, division(leader, p));
    assertThat(o).isNotNull();
    assertThat(o.membershipChanging()).isFalse();
    assertThat(o.commitIndex()).isEqualTo(cluster.node(leader).appliedIndex(p));
    assertThat(o.followers()).extracting(Follower::nodeId).containsExactlyInAnyOrder(
        LocalCluster.nodeId((leader + 1) % 3), LocalCluster.nodeId((leader + 2) % 3));
    assertThat(o.followers()).allSatisfy(f -> {
      assertThat(f.matchIndex()).isEqualTo(o.commitIndex());
      assertThat(f.commitIndex()).isEqualTo(o.commitIndex());
      assertThat(f.nextIndex()).isEqualTo(o.commitIndex() + 1);
      assertThat(f.lastReplyElapsedMs()).isLessThan(OPTIONS.electionTimeoutMinMs());
      assertThat(f.leaderEligible()).isTrue();
    });
    // A follower does not see itself as leading anything.
    assertThat(RatisLeaders.observe(p, division((leader + 1) % 3, p))).isNull();
  }

  @Test
  void healthy_followers_are_left_alone_under_writes_and_when_idle() {
    PartitionId p = cluster.createFullGroup(32, ELECTION);
    int leader = cluster.awaitLeader(p, ELECTION);
    LaggingFollowerWatch watch = new LaggingFollowerWatch("test", leadersOf(leader, p), LIMITS, CLOCK_MS);
    long[] written = {0};
    pollFor(watch, 5_000, () -> write(p, "k" + written[0]++, written[0]));
    pollFor(watch, 5_000, () -> {});
    assertThat(written[0]).isGreaterThan(10);
    assertThat(watch.polls()).isGreaterThan(20);
    assertThat(watch.transfersStarted()).isZero();
    assertThat(cluster.node(leader).isLeader(p)).isTrue();
  }

  @Test
  void a_stopped_follower_is_left_to_replica_repair() {
    PartitionId p = cluster.createFullGroup(33, ELECTION);
    int leader = cluster.awaitLeader(p, ELECTION);
    cluster.stop((leader + 1) % 3);
    LaggingFollowerWatch watch = new LaggingFollowerWatch("test", leadersOf(leader, p), LIMITS, CLOCK_MS);
    long[] written = {0};
    // Behind from the first write on, and silent: never judged, however long (here 3 windows).
    pollFor(watch, 9_000, () -> write(p, "k" + written[0]++, written[0]));
    assertThat(written[0]).isGreaterThan(10);
    assertThat(watch.transfersStarted()).isZero();
    assertThat(cluster.node(leader).isLeader(p)).isTrue();
  }

  @Test
  void a_follower_stuck_in_the_leaders_view_makes_the_leader_hand_over_to_the_other() {
    PartitionId p = cluster.createFullGroup(34, ELECTION);
    write(p, "before", 1);
    int leader = cluster.awaitLeader(p, ELECTION);
    awaitAllApplied(p, leader);
    int stuck = (leader + 1) % 3;
    int other = (leader + 2) % 3;
    LaggingFollowerWatch.Leaders leaders = new PinnedFollower(leadersOf(leader, p), LocalCluster.nodeId(stuck));
    LaggingFollowerWatch watch = new LaggingFollowerWatch("test", leaders, LIMITS, CLOCK_MS);
    watch.poll(); // pins the follower where it is now
    long pinnedAtMs = CLOCK_MS.getAsLong();
    write(p, "after", 2); // the leader's commit index moves past the pinned follower
    long transferAtMs = -1;
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (transferAtMs < 0 && System.nanoTime() < deadline) {
      watch.poll();
      if (watch.transfersStarted() > 0) {
        transferAtMs = CLOCK_MS.getAsLong();
      }
      LocalCluster.pause(100);
    }
    assertThat(watch.transfersStarted()).isEqualTo(1);
    assertThat(transferAtMs - pinnedAtMs).isGreaterThanOrEqualTo(LIMITS.stuckAfterMs());
    LocalCluster.await(() -> cluster.node(other).isLeader(p), ELECTION, "the other follower to lead");
    assertThat(cluster.node(stuck).isLeader(p)).isFalse();
    assertThat(watch.transfersFailed()).isZero();
    // The old leader leads no more, so its watch sees nothing of the partition and does nothing.
    pollFor(watch, 1_000, () -> {});
    assertThat(watch.transfersStarted()).isEqualTo(1);
    write(p, "later", 3);
    awaitAllApplied(p, other);
    // The node's own watch (production's limits) runs alongside.
    assertThat(cluster.node(leader).laggingFollowerWatch().polls()).isPositive();
    assertThat(cluster.node(leader).laggingFollowerTransfers()).isZero();
  }

  private RaftServer.Division division(int node, PartitionId p) {
    try {
      return cluster.node(node).server().getDivision(PartitionGroups.groupId(p));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The leader's view with one follower's match and commit index pinned where they were first
   * seen, its next index one past: what the leader shows of RATIS-2605's follower (which answers,
   * refusing every append, and never advances).
   */
  private static final class PinnedFollower implements LaggingFollowerWatch.Leaders {
    private final LaggingFollowerWatch.Leaders real;
    private final String nodeId;
    private Follower pinned;

    PinnedFollower(LaggingFollowerWatch.Leaders real, String nodeId) {
      this.real = real;
      this.nodeId = nodeId;
    }

    @Override
    public List<Observation> observeLeading() {
      return real.observeLeading().stream().map(o -> new Observation(o.partitionId(), o.term(), o.commitIndex(),
          o.logStartIndex(), o.membershipChanging(), o.followers().stream().map(this::pin).toList())).toList();
    }

    private Follower pin(Follower follower) {
      if (!follower.nodeId().equals(nodeId)) {
        return follower;
      }
      if (pinned == null) {
        pinned = follower;
      }
      return new Follower(nodeId, pinned.matchIndex(), pinned.matchIndex() + 1, pinned.commitIndex(),
          follower.lastReplyElapsedMs(), follower.leaderEligible());
    }

    @Override
    public CompletableFuture<Void> transferLeadership(PartitionId partitionId, String targetNodeId, long timeoutMs) {
      return real.transferLeadership(partitionId, targetNodeId, timeoutMs);
    }
  }
}
