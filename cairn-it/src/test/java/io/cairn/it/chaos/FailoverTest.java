package io.cairn.it.chaos;

import static io.cairn.it.chaos.ChaosChecks.sleep;

import io.cairn.core.id.PartitionId;
import io.cairn.it.chaos.ChaosCluster.ReplicaState;
import io.cairn.router.table.TableDefinition;
import io.cairn.server.cluster.ProcessPlacement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failover on the real multi-process cluster: clients write and read through both routers while
 * the storage node that leads the most partitions is killed with SIGKILL.
 *
 * <ul>
 *   <li>writes to each partition it led resume within {@link #WRITES_RESUMED_MS_MAX} of the kill
 *       (the first write sent after the kill that a leader answers);
 *   <li>the whole history (puts of unique values, strongly consistent gets, conditional puts;
 *       calls without an answer as "maybe") is linearizable, final reads included;
 *   <li>no acknowledged write is lost (write-once inserts, read back through a router);
 *   <li>the node, restarted, catches up: its replicas apply up to where the leaders were, and at the
 *       end every replica holds the same bytes under every key.
 * </ul>
 *
 * <p>The measured times go to standard output as {@code failover: partition=… killedNode=…
 * writesResumedAfterMs=…} lines and to {@code target/failover.txt}. Replay a load with
 * {@code -Dcairn.chaos.seed=N} (the timing of the kill is not replayable; the seed fixes each
 * client's choice of operation, key and router).
 */
@Tag("chaos")
class FailoverTest {
  static final int PARTITIONS = 4;
  static final int KEYS = 20;
  static final int CLIENT_THREADS = 8;
  static final long WARM_UP_MS = 4_000;
  static final long AFTER_KILL_MS = 9_000;
  static final long AFTER_CATCH_UP_MS = 2_000;
  /**
   * The issue's target: writes to the affected partitions resume within 5 s
   * ({@code -Dcairn.chaos.writesResumedMsMax=N} to explore another bound).
   */
  static final long WRITES_RESUMED_MS_MAX = Long.getLong("cairn.chaos.writesResumedMsMax", 5_000);
  static final long CATCH_UP_TIMEOUT_MS = 30_000;
  static final int FINAL_READ_ATTEMPTS_MAX = 10;
  static final int FAILURES_SHOWN_MAX = 40;
  static final Path RESULTS = Path.of("target", "failover.txt");

  @RegisterExtension static final ChaosCluster.LogsOnFailure LOGS = new ChaosCluster.LogsOnFailure();
  static ChaosCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LOGS.watch(ChaosCluster.start("failover", layout -> ProcessPlacement.LOOPBACK));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void sigkillOfTheNodeLeadingMostPartitions() throws Exception {
    long seed = ChaosChecks.seed("failover");
    TableDefinition table = ChaosChecks.createTable(cluster, "failover", PARTITIONS);
    List<String> keys = ChaosChecks.keys(table, "k", KEYS);
    ChaosChecks.awaitStableLeaders(cluster, table);

    try (RegisterLoad load = new RegisterLoad(cluster.routers(), table.name(), keys,
        key -> ChaosChecks.partitionOf(table, key), CLIENT_THREADS, seed)) {
      load.start();
      sleep(WARM_UP_MS);

      // The victim: the node leading the most partitions right now, by the replicas' own account.
      Map<PartitionId, ReplicaState> leaders = ChaosChecks.leaders(cluster, table);
      Map<String, List<PartitionId>> byNode = new TreeMap<>();
      leaders.forEach((p, s) -> byNode.computeIfAbsent(s.node(), n -> new ArrayList<>()).add(p));
      String victim = byNode.entrySet().stream().max(Map.Entry.comparingByValue(
          java.util.Comparator.comparingInt(List::size))).orElseThrow().getKey();
      List<PartitionId> affected = byNode.get(victim);
      System.out.println("[chaos] leaders before the kill: " + byNode + "; killing " + victim + " (leads " + affected + ")");

      long killNanos = System.nanoTime();
      cluster.kill(victim);
      // Election time per affected partition: when a surviving replica says it leads.
      Map<PartitionId, Long> electedAfterMs = new LinkedHashMap<>();
      while (System.nanoTime() - killNanos < AFTER_KILL_MS * 1_000_000) {
        for (PartitionId p : affected) {
          if (!electedAfterMs.containsKey(p)) {
            ChaosCluster.leader(cluster.replicaStates(p)).filter(l -> !l.node().equals(victim))
                .ifPresent(l -> electedAfterMs.put(p, (System.nanoTime() - killNanos) / 1_000_000));
          }
        }
        sleep(ChaosChecks.POLL_MS);
      }
      long restartNanos = System.nanoTime();
      System.out.println("[chaos] after the kill: " + load.summary() + "; new leaders after (ms) " + electedAfterMs);

      // Restart it under load; it must catch up to where each leader was when it answered again.
      cluster.restart(victim);
      long restartedMs = (System.nanoTime() - restartNanos) / 1_000_000;
      Map<PartitionId, Long> target = new LinkedHashMap<>();
      for (var range : table.partitions()) {
        target.put(range.partitionId(), ChaosCluster.leader(cluster.replicaStates(range.partitionId()))
            .map(ReplicaState::applied).orElse(0L));
      }
      Map<PartitionId, Long> caughtUpMs = ChaosChecks.awaitCaughtUp(cluster, table, victim, target, CATCH_UP_TIMEOUT_MS);
      System.out.println("[chaos] " + victim + " restarted in " + restartedMs + " ms; each replica reached its leader's"
          + " applied index at the restart " + target + " after (ms) " + caughtUpMs);

      sleep(AFTER_CATCH_UP_MS);
      load.stop();
      load.finalReads(0, FINAL_READ_ATTEMPTS_MAX);
      List<RegisterLoad.Event> events = load.events();
      System.out.println("[chaos] load stopped: " + load.summary() + "; calls without success (times from the kill):\n"
          + load.failures(killNanos, FAILURES_SHOWN_MAX));

      // Measurements first, so a failed assertion still leaves them in the output.
      List<String> lines = new ArrayList<>();
      Map<PartitionId, OptionalLong> resumed = new LinkedHashMap<>();
      for (PartitionId p : affected) {
        OptionalLong ms = ChaosChecks.writesResumedAfterMs(events, p, killNanos);
        resumed.put(p, ms);
        lines.add(String.format("failover: partition=%d killedNode=%s writesResumedAfterMs=%s leaderElectedAfterMs=%s"
                + " restartMs=%d caughtUpAfterRestartMs=%d loadAverage=%.1f seed=%d", p.value(), victim,
            ms.isPresent() ? Long.toString(ms.getAsLong()) : "never", electedAfterMs.getOrDefault(p, -1L), restartedMs,
            caughtUpMs.get(p), ChaosChecks.loadAverage(), seed));
      }
      lines.forEach(System.out::println);
      Files.createDirectories(RESULTS.getParent());
      Files.writeString(RESULTS, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);

      ChaosChecks.assertLinearizable(load.history(), seed);
      ChaosChecks.assertNoAcknowledgedInsertLost(cluster, table, load.insertedAcked());
      for (Map.Entry<PartitionId, OptionalLong> e : resumed.entrySet()) {
        PartitionId p = e.getKey();
        if (e.getValue().isEmpty() || e.getValue().getAsLong() > WRITES_RESUMED_MS_MAX) {
          throw new AssertionError("expected writes to partition " + p.value() + " to resume within "
              + WRITES_RESUMED_MS_MAX + " ms of the SIGKILL of " + victim + ", got " + e.getValue()
              + " (seed " + seed + "); writes sent in the 10 s after the kill, by result: "
              + ChaosChecks.writeResults(events, p, killNanos, killNanos + 10_000_000_000L));
        }
      }
      if (!load.unexpectedErrors().isEmpty()) {
        throw new AssertionError("unexpected errors (seed " + seed + "): " + load.unexpectedErrors());
      }

      long convergedMs = ChaosChecks.awaitConverged(cluster, table);
      List<String> compared = new ArrayList<>(keys);
      compared.addAll(load.insertedAcked().keySet());
      int count = ChaosChecks.assertReplicasEqual(cluster, table, compared);
      System.out.println("[chaos] replicas converged " + convergedMs + " ms after the load stopped; " + count
          + " keys identical on all three replicas: " + table.partitions().stream()
              .map(r -> r.partitionId().value() + "=" + cluster.replicaStates(r.partitionId()).values().stream()
                  .map(s -> s.node() + "@" + s.applied()).collect(Collectors.joining(",")))
              .collect(Collectors.joining(" ")));
    }
  }
}
