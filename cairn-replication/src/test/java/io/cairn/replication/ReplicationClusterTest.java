package io.cairn.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.id.PartitionId;
import io.cairn.partition.WriteOutcome;
import io.cairn.replication.PartitionClient.ReadConsistency;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three storage nodes in one JVM, shared by every test; each test uses its own partitions and
 * leaves every node running. Election timeouts are 1–2 s as in production.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicationClusterTest {
  /** Production timeouts; snapshots every 200 entries and small log segments, so purges happen. */
  static final ReplicationOptions OPTIONS = ReplicationOptions.defaults().withSnapshots(200, 64 * 1024, 64);
  /** A client that gives up soon, for the writes that must not commit. */
  static final ReplicationOptions IMPATIENT = OPTIONS.withWriteDeadlineMs(2_500);
  static final Duration ELECTION = Duration.ofSeconds(15);

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

  private static WriteOutcome await(CompletableFuture<WriteOutcome> future) {
    return future.orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void a_write_commits_on_two_of_three_and_not_on_one() {
    PartitionId p = cluster.createFullGroup(1, ELECTION);
    assertThat(await(client.write(p, Items.put("k0", 0)))).isInstanceOf(WriteOutcome.Applied.class);
    int leader = cluster.awaitLeader(p, ELECTION);
    int follower = (leader + 1) % 3;
    cluster.stop(follower);
    assertThat(await(client.write(p, Items.put("k1", 1)))).isInstanceOf(WriteOutcome.Applied.class);

    cluster.stop((leader + 2) % 3);
    try (RemotePartitionClient impatient = cluster.remoteClient(IMPATIENT)) {
      assertThatThrownBy(() -> impatient.write(p, Items.put("k2", 2)).join())
          .isInstanceOf(CompletionException.class)
          .cause().isInstanceOf(ReplicationException.class);
    }
    cluster.restartAllStopped();
    // k2 may or may not have committed (its outcome is unknown); k1 must be everywhere.
    for (int i = 0; i < 3; i++) {
      int node = i;
      LocalCluster.await(() -> Items.number(cluster.engine(node).get(Items.storageKey("k1")), "v") != null,
          Duration.ofSeconds(20), "k1 on node " + i);
    }
  }

  /**
   * A router can learn a placement before the storage nodes have created the group: its write
   * meets GroupMismatchException, which also closes the Ratis client's ordered window. The write
   * waits for the group (on new clients) instead of failing, and later writes work.
   */
  @Test
  void a_write_that_arrives_before_the_group_exists_waits_for_it() {
    PartitionId p = new PartitionId(14);
    cluster.announceGroup(p, cluster.fullGroup());
    CompletableFuture<WriteOutcome> early = client.write(p, Items.put("early", 0));
    LocalCluster.pause(1_000);
    cluster.createGroup(p, cluster.fullGroup());
    assertThat(await(early)).isInstanceOf(WriteOutcome.Applied.class);
    assertThat(await(client.write(p, Items.put("later", 1)))).isInstanceOf(WriteOutcome.Applied.class);
  }

  @Test
  void a_follower_that_was_down_catches_up_from_the_log() {
    PartitionId p = cluster.createFullGroup(2, ELECTION);
    int leader = cluster.awaitLeader(p, ELECTION);
    int follower = (leader + 1) % 3;
    cluster.stop(follower);
    List<CompletableFuture<WriteOutcome>> writes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      writes.add(client.write(p, Items.put("k" + i, i)));
    }
    writes.forEach(ReplicationClusterTest::await);
    cluster.start(follower);
    LocalCluster.await(() -> cluster.node(follower).appliedIndex(p) >= cluster.node(leader).appliedIndex(p),
        Duration.ofSeconds(20), "the follower to catch up");
    for (int i = 0; i < 200; i++) {
      assertThat(Items.number(cluster.engine(follower).get(Items.storageKey("k" + i)), "v")).isEqualTo(i);
    }
  }

  @Test
  void killing_the_leader_elects_another_and_loses_no_acknowledged_write() throws Exception {
    PartitionId p = cluster.createFullGroup(3, ELECTION);
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicLong sequence = new AtomicLong();
    AtomicLong killedAtNanos = new AtomicLong(Long.MAX_VALUE);
    AtomicLong firstAfterKillNanos = new AtomicLong(Long.MAX_VALUE);
    AtomicBoolean running = new AtomicBoolean(true);
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    // Own threads: Ratis runs work on the common pool, which blocked writers would starve.
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(16);
    for (int w = 0; w < 16; w++) {
      writers.add(CompletableFuture.runAsync(() -> {
        while (running.get()) {
          long n = sequence.incrementAndGet();
          long submittedNanos = System.nanoTime();
          try {
            client.write(p, Items.put("k" + n, n)).join();
            acknowledged.add("k" + n);
            if (submittedNanos > killedAtNanos.get()) {
              firstAfterKillNanos.accumulateAndGet(System.nanoTime(), Math::min);
            }
          } catch (CompletionException e) {
            // Not acknowledged: it may or may not be there, and either is correct.
          }
        }
      }, threads));
    }
    LocalCluster.pause(1_500);
    int leader = cluster.awaitLeader(p, ELECTION);
    killedAtNanos.set(System.nanoTime());
    cluster.stop(leader);
    long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAtNanos.get());
    LocalCluster.await(() -> firstAfterKillNanos.get() != Long.MAX_VALUE, Duration.ofSeconds(20), "a write after the kill");
    long failoverMs = TimeUnit.NANOSECONDS.toMillis(firstAfterKillNanos.get() - killedAtNanos.get());
    LocalCluster.pause(1_000);
    running.set(false);
    CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    threads.shutdown();
    int newLeader = cluster.awaitLeader(p, ELECTION);
    assertThat(newLeader).isNotEqualTo(leader);
    Measurements.record("failover: kill leader -> first acknowledged write submitted after the kill: "
        + failoverMs + " ms (election timeout " + OPTIONS.electionTimeoutMinMs() + "-" + OPTIONS.electionTimeoutMaxMs()
        + " ms; closing the old leader's node took " + stopMs + " ms); " + acknowledged.size()
        + " acknowledged writes checked");
    // The target is 5 s (issue 4, checked with SIGKILL in the multi-process cluster test); this
    // in-JVM "kill" is a graceful close and the machine is shared, so the bound here is looser.
    assertThat(failoverMs).isLessThan(10_000);
    // Every acknowledged key, on both survivors' engines.
    for (int i = 0; i < 3; i++) {
      if (i == leader) {
        continue;
      }
      int node = i;
      LocalCluster.await(() -> cluster.node(node).appliedIndex(p) >= cluster.node(newLeader).appliedIndex(p),
          Duration.ofSeconds(20), "survivor " + node + " to apply");
      for (String key : acknowledged) {
        assertThat(cluster.engine(node).get(Items.storageKey(key))).as("%s on node %s", key, node).isNotNull();
      }
    }
  }

  @Test
  void an_eventual_read_from_a_follower_may_lag_but_never_invents_a_value() throws Exception {
    PartitionId p = cluster.createFullGroup(4, ELECTION);
    int leader = cluster.awaitLeader(p, ELECTION);
    String followerId = LocalCluster.nodeId((leader + 1) % 3);
    int writes = 300;
    java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      for (int i = 1; i <= writes; i++) {
        client.write(p, Items.put("hot", i)).join();
      }
    }, thread);
    thread.shutdown();
    long lastSeen = 0;
    int reads = 0;
    while (!writer.isDone() || reads < 10) {
      byte[] stored;
      try {
        stored = client.getFrom(p, Items.storageKey("hot"), followerId).join();
      } catch (CompletionException e) {
        // A replica that has not yet learnt the commit index refuses (Ratis StaleReadException):
        // UNAVAILABLE, and a router tries another replica. Refusing is allowed; inventing is not.
        assertThat(e.getCause()).isInstanceOfSatisfying(ReplicationException.class,
            r -> assertThat(r.kind()).isEqualTo(ReplicationException.Kind.UNAVAILABLE));
        continue;
      }
      Long seen = Items.number(stored, "v");
      long value = seen == null ? 0 : seen;
      // Only written values, and one replica's view never goes backwards.
      assertThat(value).isBetween(lastSeen, (long) writes);
      lastSeen = value;
      reads++;
    }
    writer.get();
    // A strong read sees the last acknowledged write.
    assertThat(Items.number(client.get(p, Items.storageKey("hot"), ReadConsistency.STRONG).join(), "v"))
        .isEqualTo((long) writes);
  }

  /**
   * A client reads its own acknowledged writes with eventually consistent reads, from whichever
   * replica. A follower that was down while they were written comes back with its old items on
   * disk: until it has learnt of the writes it refuses (the client then asks the leader), and once
   * it has learnt of them it waits until they are applied; it never answers with the older value.
   */
  @Test
  void a_client_reads_its_own_writes_even_from_a_follower_that_missed_them() {
    PartitionId p = cluster.createFullGroup(15, ELECTION);
    int leader = cluster.awaitLeader(p, ELECTION);
    await(client.write(p, Items.put("mine", 0)));
    int behind = (leader + 1) % 3;
    String behindId = LocalCluster.nodeId(behind);
    cluster.stop(behind);
    int writes = 300;
    for (int i = 1; i <= writes; i++) {
      await(client.write(p, Items.put("mine", i)));
    }
    cluster.start(behind);
    int answered = 0;
    int refused = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (answered < 20 && System.nanoTime() < deadline) {
      assertThat(Items.number(client.get(p, Items.storageKey("mine"), ReadConsistency.EVENTUAL).join(), "v"))
          .as("eventually consistent read").isEqualTo((long) writes);
      try {
        assertThat(Items.number(client.getFrom(p, Items.storageKey("mine"), behindId).join(), "v"))
            .as("read of the follower that missed the writes").isEqualTo((long) writes);
        answered++;
      } catch (CompletionException e) {
        assertThat(e.getCause()).isInstanceOfSatisfying(ReplicationException.class,
            r -> assertThat(r.kind()).isEqualTo(ReplicationException.Kind.UNAVAILABLE));
        refused++;
      }
    }
    assertThat(answered).as("answers from the follower once it caught up (%s refusals before)", refused)
        .isEqualTo(20);
  }

  @Test
  void replay_after_a_restart_of_every_node_applies_each_entry_once() {
    PartitionId p = cluster.createFullGroup(5, ELECTION);
    int increments = 50;
    for (int i = 0; i < increments; i++) {
      await(client.write(p, Items.increment("counter", 1)));
    }
    for (int i = 0; i < 3; i++) {
      cluster.stop(i);
    }
    cluster.restartAllStopped();
    int leader = cluster.awaitLeader(p, ELECTION);
    WriteOutcome.Applied last = (WriteOutcome.Applied) await(client.write(p, Items.increment("counter", 1)));
    assertThat(last.returned().get("n")).isEqualTo(io.cairn.core.value.AttributeValue.N.of(increments + 1));
    for (int i = 0; i < 3; i++) {
      int node = i;
      LocalCluster.await(() -> cluster.node(node).appliedIndex(p) >= cluster.node(leader).appliedIndex(p),
          Duration.ofSeconds(20), "node " + node + " to apply");
      assertThat(Items.number(cluster.engine(i).get(Items.storageKey("counter")), "n")).isEqualTo(increments + 1);
    }
  }

  @Test
  void a_log_replica_counts_toward_the_quorum_and_serves_nothing() {
    PartitionId p = new PartitionId(6);
    List<ReplicaPeer> peers = fullFullLog();
    cluster.createGroup(p, peers);
    int leader = cluster.awaitLeader(p, ELECTION);
    assertThat(await(client.write(p, Items.put("a", 1)))).isInstanceOf(WriteOutcome.Applied.class);
    // Stop the full replica that does not lead (or node 1 if the log replica leads: it hands off).
    int otherFull = leader == 0 ? 1 : 0;
    cluster.stop(otherFull);
    int survivingLeader = cluster.awaitLeader(p, ELECTION);
    assertThat(await(client.write(p, Items.put("b", 2)))).isInstanceOf(WriteOutcome.Applied.class);
    LocalCluster.await(() -> cluster.node(2).appliedIndex(p) >= cluster.node(survivingLeader).appliedIndex(p),
        Duration.ofSeconds(20), "the log replica to apply");
    assertThat(cluster.engine(2).get(Items.storageKey("b"))).isNull();
    assertThatThrownBy(() -> client.getFrom(p, Items.storageKey("b"), LocalCluster.nodeId(2)).join())
        .cause().isInstanceOf(ReplicationException.class);
  }

  /**
   * Priorities keep leadership off a log replica: Ratis refuses to transfer leadership to a member
   * that lacks the highest priority. (The hand-off after an election the log replica wins anyway
   * is not exercised here: no test forces that election yet.)
   */
  @Test
  void leadership_cannot_be_transferred_to_a_log_replica() {
    PartitionId p = new PartitionId(12);
    List<ReplicaPeer> peers = fullFullLog();
    cluster.createGroup(p, peers);
    int leader = cluster.awaitLeader(p, ELECTION);
    assertThat(leader).isNotEqualTo(2);
    assertThatThrownBy(() -> cluster.node(leader).transferLeadership(p, LocalCluster.nodeId(2), 5_000).join())
        .hasMessageContaining("highest priority");
    int other = leader == 0 ? 1 : 0;
    cluster.node(leader).transferLeadership(p, LocalCluster.nodeId(other), 5_000).orTimeout(10, TimeUnit.SECONDS).join();
    LocalCluster.await(() -> cluster.node(other).isLeader(p), ELECTION, "the transfer to the other full replica");
    assertThat(await(client.write(p, Items.put("b", 2)))).isInstanceOf(WriteOutcome.Applied.class);
  }

  /**
   * The log replica holds entries a surviving full replica lacks, so only it can win the election;
   * it must then hand leadership to the full replica, and writes resume with nothing lost.
   */
  @Test
  void a_log_replica_that_must_lead_hands_leadership_to_a_full_replica() {
    PartitionId p = new PartitionId(13);
    List<ReplicaPeer> peers = fullFullLog();
    cluster.createGroup(p, peers);
    int leader = cluster.awaitLeader(p, ELECTION);
    int lagging = leader == 0 ? 1 : 0;
    cluster.stop(lagging);
    for (int i = 0; i < 20; i++) {
      await(client.write(p, Items.put("k" + i, i)));
    }
    // The only full replica with those entries goes; the lagging one comes back.
    cluster.stop(leader);
    long startNanos = System.nanoTime();
    cluster.start(lagging);
    LocalCluster.await(() -> cluster.node(lagging).isLeader(p), Duration.ofSeconds(30),
        "the full replica to lead after the log replica's hand-off");
    Measurements.record("log replica hand-off: the lagging full replica leads "
        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) + " ms after it restarted");
    assertThat(await(client.write(p, Items.put("after", 1)))).isInstanceOf(WriteOutcome.Applied.class);
    for (int i = 0; i < 20; i++) {
      assertThat(Items.number(cluster.engine(lagging).get(Items.storageKey("k" + i)), "v")).isEqualTo(i);
    }
  }

  @Test
  void a_follower_the_log_has_left_behind_installs_a_snapshot() {
    PartitionId p = cluster.createFullGroup(11, ELECTION);
    io.cairn.storage.KeyspaceId keyspace = new io.cairn.storage.KeyspaceId(11);
    for (int i = 0; i < 10; i++) {
      await(client.write(p, Items.put(keyspace, "old-" + i, i)));
    }
    int leader = cluster.awaitLeader(p, ELECTION);
    int follower = (leader + 1) % 3;
    LocalCluster.await(() -> cluster.node(follower).appliedIndex(p) >= cluster.node(leader).appliedIndex(p),
        Duration.ofSeconds(20), "the follower to have the old items");
    cluster.stop(follower);
    long followerApplied = cluster.node(leader).appliedIndex(p);
    await(client.write(p, Items.delete(keyspace, "old-0")));
    int writes = 1_500;
    List<CompletableFuture<WriteOutcome>> pending = new ArrayList<>();
    for (int i = 0; i < writes; i++) {
      pending.add(client.write(p, Items.put(keyspace, "new-" + i, i)));
      if (pending.size() == 64) {
        pending.forEach(ReplicationClusterTest::await);
        pending.clear();
      }
    }
    pending.forEach(ReplicationClusterTest::await);
    LocalCluster.await(() -> cluster.node(leader).logStartIndex(p) > followerApplied + 1, Duration.ofSeconds(20),
        "the leader to purge the log the follower needs");
    cluster.start(follower);
    LocalCluster.await(() -> cluster.node(follower).appliedIndex(p) >= cluster.node(leader).appliedIndex(p),
        Duration.ofSeconds(30), "the follower to install the snapshot and catch up");
    io.cairn.storage.StorageEngine engine = cluster.engine(follower);
    assertThat(engine.get(Items.storageKey(keyspace, "old-0"))).isNull();
    assertThat(Items.number(engine.get(Items.storageKey(keyspace, "old-9")), "v")).isEqualTo(9);
    for (int i = 0; i < writes; i++) {
      assertThat(Items.number(engine.get(Items.storageKey(keyspace, "new-" + i)), "v")).isEqualTo(i);
    }
  }

  /** One group, 64 writes in flight, measured after a warm-up, through each client. */
  @Test
  void throughput_and_latency_with_64_writes_in_flight() throws Exception {
    PartitionId p = cluster.createFullGroup(7, ELECTION);
    int leader = cluster.awaitLeader(p, ELECTION);
    Measurements.record(Benchmark.run("remote client (gRPC RaftClient) -> leader, 3 replicas", client, p, 64,
        Duration.ofSeconds(4), Duration.ofSeconds(5)));
    try (LocalPartitionClient local = new LocalPartitionClient(cluster.node(leader))) {
      Measurements.record(Benchmark.run("local client (in-process on the leader, batched), 3 replicas", local, p, 64,
          Duration.ofSeconds(3), Duration.ofSeconds(5)));
    }
    PartitionId single = new PartitionId(9);
    cluster.createGroup(single, List.of(ReplicaPeer.full(LocalCluster.nodeId(0), cluster.address(0))));
    cluster.awaitLeader(single, ELECTION);
    try (LocalPartitionClient local = new LocalPartitionClient(cluster.node(0))) {
      Measurements.record(Benchmark.run("local client, group of 1 (single-process shape)", local, single, 64,
          Duration.ofSeconds(3), Duration.ofSeconds(5)));
    }
    try (io.cairn.storage.StorageEngine engine = io.cairn.storage.StorageEngine.open(dir.resolve("host-engine"),
             io.cairn.storage.StorageOptions.small());
         io.cairn.partition.PartitionHost host = new io.cairn.partition.PartitionHost(engine,
             io.cairn.partition.PartitionHostOptions.defaults(io.cairn.storage.Durability.FSYNC))) {
      Measurements.record(Benchmark.run("PartitionHost (no replication, fsync per group commit), for comparison",
          Benchmark.writer(host::write), new PartitionId(10), 64, Duration.ofSeconds(3), Duration.ofSeconds(5)));
    }
  }

  /**
   * Read latency through the remote client, a write then one read of each kind at a time (no
   * assertion on time: the machine is shared): strongly consistent (leader lease), eventually
   * consistent (a random replica; the router's own write is always seen), and a read of one
   * follower, which may refuse while it has not learnt of the write; those that found no answer
   * at all within the stale-read bound are counted apart. Recorded in
   * target/replication-measurements.txt; docs/architecture.md and RemotePartitionClient quote them.
   */
  @Test
  void read_latency_after_each_write() {
    PartitionId p = cluster.createFullGroup(16, ELECTION);
    int leader = cluster.awaitLeader(p, ELECTION);
    String followerId = LocalCluster.nodeId((leader + 1) % 3);
    int reads = 400;
    long[] strong = new long[reads];
    long[] eventual = new long[reads];
    long[] follower = new long[reads];
    int refused = 0;
    int unanswered = 0;
    for (int i = 0; i < reads; i++) {
      await(client.write(p, Items.put("r", i)));
      long t = System.nanoTime();
      assertThat(Items.number(client.get(p, Items.storageKey("r"), ReadConsistency.STRONG).join(), "v")).isEqualTo(i);
      strong[i] = System.nanoTime() - t;
      t = System.nanoTime();
      assertThat(Items.number(client.get(p, Items.storageKey("r"), ReadConsistency.EVENTUAL).join(), "v")).isEqualTo(i);
      eventual[i] = System.nanoTime() - t;
      t = System.nanoTime();
      try {
        assertThat(Items.number(client.getFrom(p, Items.storageKey("r"), followerId).join(), "v")).isEqualTo(i);
      } catch (CompletionException e) {
        assertThat(e.getCause()).isInstanceOfSatisfying(ReplicationException.class,
            r -> assertThat(r.kind()).isEqualTo(ReplicationException.Kind.UNAVAILABLE));
        if (e.getCause().getMessage().contains("no reply within the deadline")) {
          unanswered++;
        } else {
          refused++;
        }
      }
      follower[i] = System.nanoTime() - t;
    }
    Measurements.record("a write, then reads one at a time, " + reads + " rounds: strong " + percentiles(strong)
        + "; eventual " + percentiles(eventual) + "; one follower " + percentiles(follower) + ", " + refused
        + " refused (behind the write), " + unanswered + " without an answer within "
        + RemotePartitionClient.STALE_READ_ATTEMPT_MS + " ms");
  }

  private static String percentiles(long[] nanos) {
    long[] sorted = nanos.clone();
    java.util.Arrays.sort(sorted);
    java.util.function.IntFunction<String> at = permille ->
        String.format("%.2f", sorted[Math.min(sorted.length - 1, sorted.length * permille / 1000)] / 1e6);
    return "p50 " + at.apply(500) + " / p90 " + at.apply(900) + " / p99 " + at.apply(990) + " / max "
        + at.apply(1000) + " ms";
  }

  @Test
  void the_local_client_batches_writes_to_a_division_it_leads() {
    PartitionId p = cluster.createFullGroup(8, ELECTION);
    int leader = cluster.awaitLeader(p, ELECTION);
    try (LocalPartitionClient local = new LocalPartitionClient(cluster.node(leader))) {
      List<CompletableFuture<WriteOutcome>> writes = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        writes.add(local.write(p, Items.increment("c", 1)));
      }
      writes.forEach(ReplicationClusterTest::await);
      assertThat(Items.number(local.get(p, Items.storageKey("c"), ReadConsistency.STRONG).join(), "n")).isEqualTo(500);
      // Fewer log entries than writes: they were batched.
      assertThat(cluster.node(leader).appliedIndex(p)).isLessThan(400);
      LocalPartitionClient other = new LocalPartitionClient(cluster.node((leader + 1) % 3));
      assertThatThrownBy(() -> other.write(p, Items.put("x", 1)).join())
          .cause().isInstanceOfSatisfying(ReplicationException.class,
              e -> assertThat(e.kind()).isEqualTo(ReplicationException.Kind.NOT_LEADER));
    }
  }

  /** A group of two full replicas (nodes 0 and 1) and a log replica (node 2). */
  private List<ReplicaPeer> fullFullLog() {
    return List.of(
        ReplicaPeer.full(LocalCluster.nodeId(0), cluster.address(0)),
        ReplicaPeer.full(LocalCluster.nodeId(1), cluster.address(1)),
        ReplicaPeer.log(LocalCluster.nodeId(2), cluster.address(2)));
  }
}
