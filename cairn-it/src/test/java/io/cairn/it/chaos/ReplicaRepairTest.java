package io.cairn.it.chaos;

import static io.cairn.it.chaos.ChaosChecks.sleep;

import io.cairn.core.id.PartitionId;
import io.cairn.it.chaos.ChaosCluster.ReplicaState;
import io.cairn.metadata.PartitionReplicas;
import io.cairn.router.table.TableDefinition;
import io.cairn.server.cluster.ProcessPlacement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * Auto-admin's replica repair on the real multi-process cluster: three AZs with two storage nodes
 * each, a table of four partitions (each a group of three, one replica per AZ), items of 1 KB
 * written, so that the partitions' logs (snapshots every 20 entries, 16 KB segments, for this test)
 * are purged and a new replica must start from a snapshot; then, under load, the storage node that
 * holds the most replicas gets SIGKILL and stays dead past the repair timeout (shortened for the
 * test, {@code -Dcairn.chaos.repairAfterMs}, 10 s by default; 60 s in a cluster started without
 * it).
 *
 * <ul>
 *   <li>every partition again has three replicas in three distinct AZs, none on the dead node, and
 *       its Ratis group has exactly those members; each replacement is in the dead node's AZ (the
 *       other node there has room);
 *   <li>each new replica installed a snapshot (then caught up from the log); every acknowledged
 *       write is readable with strongly consistent reads, the load's history is linearizable, and
 *       once every replica has applied up to its leader each holds the same bytes under every key,
 *       the new replicas included;
 *   <li>writes keep working after the repair;
 *   <li>the dead node, started again, drops the replicas it no longer holds (with their items), and
 *       writes still work.
 * </ul>
 *
 * <p>It prints one {@code replica-repair:} line with the times from the kill (also in {@code
 * target/replica-repair.txt}).
 */
@Tag("chaos")
class ReplicaRepairTest {
  static final int NODES_PER_AZ = 2;
  static final int PARTITIONS = 4;
  static final int KEYS = 20;
  static final int CLIENT_THREADS = 6;
  static final int ITEMS_BEFORE = 300;
  static final int ITEMS_AFTER = 40;
  static final long REPAIR_AFTER_MS = Long.getLong("cairn.chaos.repairAfterMs", 10_000);
  /** Small log segments and frequent snapshots: the leaders purge their logs within this test. */
  static final long SNAPSHOT_EVERY_ENTRIES = 20;
  static final long LOG_SEGMENT_BYTES = 16 * 1024;
  static final int LOG_PURGE_GAP_ENTRIES = 4;
  /** Each item written by the test carries this much padding, so that log segments fill. */
  static final String PADDING = "x".repeat(1_000);
  /** From the kill to every partition repaired: the repair timeout plus the repair itself. */
  static final long REPAIRED_WITHIN_MS = REPAIR_AFTER_MS + 90_000;
  static final long WARM_UP_MS = 3_000;
  static final long AFTER_REPAIR_MS = 3_000;
  static final long DROPPED_WITHIN_MS = 60_000;
  static final long STATUS_EVERY_MS = 1_000;
  static final int WRITE_ATTEMPTS_MAX = 5;
  static final int FINAL_READ_ATTEMPTS_MAX = 10;
  static final int FAILURES_SHOWN_MAX = 40;
  static final Path RESULTS = Path.of("target", "replica-repair.txt");

  @RegisterExtension static final ChaosCluster.LogsOnFailure LOGS = new ChaosCluster.LogsOnFailure();
  static ChaosCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LOGS.watch(ChaosCluster.start("repair", layout -> ProcessPlacement.LOOPBACK, NODES_PER_AZ,
        options -> options.withDeadNodeRepairAfterMs(REPAIR_AFTER_MS)
            .withReplicationLog(SNAPSHOT_EVERY_ENTRIES, LOG_SEGMENT_BYTES, LOG_PURGE_GAP_ENTRIES)));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aDeadNodesReplicasAreReplacedFilledAndTakeOver() throws Exception {
    long seed = ChaosChecks.seed("replica repair");
    System.out.println("[chaos] repair after " + REPAIR_AFTER_MS + " ms");
    TableDefinition table = ChaosChecks.createTable(cluster, "repair", PARTITIONS);
    List<String> keys = ChaosChecks.keys(table, "k", KEYS);
    Map<PartitionId, ReplicaState> leaders = ChaosChecks.awaitStableLeaders(cluster, table);

    Map<String, String> items = new LinkedHashMap<>(writeItems(table, "before", ITEMS_BEFORE));
    // A snapshot on every leader at its latest entry (besides the automatic ones every 20 entries).
    Map<PartitionId, Long> snapshots = new TreeMap<>(Comparator.comparingLong(PartitionId::value));
    leaders.forEach((p, leader) -> snapshots.put(p, cluster.snapshot(p, leader.node())));

    Map<PartitionId, List<String>> before = placement(table);
    String victim = victim(before, leaders);
    List<PartitionId> affected = before.entrySet().stream().filter(e -> e.getValue().contains(victim))
        .map(Map.Entry::getKey).toList();
    System.out.println("[chaos] placement " + before + "; snapshots at " + snapshots + "; killing " + victim
        + " (replica of " + affected + ")");

    Map<PartitionId, Long> startedMs = new TreeMap<>(Comparator.comparingLong(PartitionId::value));
    Map<PartitionId, Long> repairedMs = new TreeMap<>(Comparator.comparingLong(PartitionId::value));
    Map<PartitionId, String> newReplicas = new TreeMap<>(Comparator.comparingLong(PartitionId::value));
    String fillingInStatus = "";
    long killNanos;
    try (RegisterLoad load = new RegisterLoad(cluster.routers(), table.name(), keys,
        key -> ChaosChecks.partitionOf(table, key), CLIENT_THREADS, seed)) {
      load.start();
      sleep(WARM_UP_MS);

      killNanos = System.nanoTime();
      cluster.kill(victim);
      long lastStatusNanos = 0;
      while (repairedMs.size() < affected.size()) {
        long elapsedMs = (System.nanoTime() - killNanos) / 1_000_000;
        if (elapsedMs > REPAIRED_WITHIN_MS) {
          throw new AssertionError("expected every replica of " + victim + " replaced within " + REPAIRED_WITHIN_MS
              + " ms of its SIGKILL; started " + startedMs + ", repaired " + repairedMs + "; assignments "
              + assignments(table) + "\n" + ChaosChecks.describeReplicas(cluster, table));
        }
        for (PartitionId p : affected) {
          Optional<PartitionReplicas> a = cluster.assignment(p);
          if (a.isEmpty() || repairedMs.containsKey(p)) {
            continue;
          }
          if (a.get().replacement().isPresent()) {
            startedMs.putIfAbsent(p, elapsedMs);
            newReplicas.putIfAbsent(p, a.get().replacement().get().fillingNodeId());
          } else if (!a.get().replicaNodeIds().contains(victim)) {
            repairedMs.put(p, elapsedMs);
          }
        }
        // What an operator sees meanwhile: a replica being filled (cairn cluster status).
        if (fillingInStatus.isEmpty() && !startedMs.isEmpty() && System.nanoTime() - lastStatusNanos
            > STATUS_EVERY_MS * 1_000_000) {
          lastStatusNanos = System.nanoTime();
          fillingInStatus = cluster.status().renderText().lines().filter(l -> l.contains("FILLING"))
              .findFirst().orElse("");
        }
        sleep(ChaosChecks.POLL_MS);
      }
      long repairedAfterMs = repairedMs.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      System.out.println("[chaos] every replica of " + victim + " replaced " + repairedAfterMs + " ms after the kill"
          + " (started after " + startedMs + " ms, done after " + repairedMs + " ms); " + load.summary()
          + (fillingInStatus.isEmpty() ? "" : "\n[chaos] cluster status showed: " + fillingInStatus.strip()));

      sleep(AFTER_REPAIR_MS);
      Map<String, String> after = writeItems(table, "after", ITEMS_AFTER);
      items.putAll(after);
      load.stop();
      load.finalReads(0, FINAL_READ_ATTEMPTS_MAX);
      System.out.println("[chaos] load stopped: " + load.summary() + "; calls without success (times from the kill):\n"
          + load.failures(killNanos, FAILURES_SHOWN_MAX));

      Map<PartitionId, Integer> snapshotInstalls = new TreeMap<>(Comparator.comparingLong(PartitionId::value));
      newReplicas.forEach((p, node) -> snapshotInstalls.put(p, logLines(node, "partition " + p + " installed a snapshot")));
      String line = String.format("replica-repair: killedNode=%s partitions=%s repairAfterMs=%d repairedAfterMs=%d"
              + " startedAfterMs=%s repairedAfterMsByPartition=%s newReplicas=%s snapshotInstalls=%s"
              + " fillingShownInStatus=%s loadAverage=%.1f seed=%d", victim,
          affected.stream().map(p -> Long.toString(p.value())).collect(Collectors.joining(",")), REPAIR_AFTER_MS,
          repairedAfterMs, values(startedMs), values(repairedMs), values(newReplicas), values(snapshotInstalls),
          !fillingInStatus.isEmpty(), ChaosChecks.loadAverage(), seed);
      System.out.println(line);
      Files.createDirectories(RESULTS.getParent());
      Files.writeString(RESULTS, line + "\n", StandardCharsets.UTF_8);

      // Placement: three replicas in three AZs, none on the dead node; the groups agree.
      for (var range : table.partitions()) {
        PartitionId p = range.partitionId();
        List<String> replicas = cluster.replicas(p);
        Set<String> azs = new HashSet<>();
        replicas.forEach(n -> azs.add(cluster.az(n)));
        if (replicas.size() != 3 || azs.size() != 3 || replicas.contains(victim)
            || cluster.assignment(p).orElseThrow().replacement().isPresent()) {
          throw new AssertionError("partition " + p.value() + " is on " + replicas + " (AZs " + azs
              + "); expected three AZs without " + victim);
        }
        ReplicaState leader = ChaosCluster.leader(cluster.replicaStates(p))
            .orElseThrow(() -> new AssertionError("no leader of partition " + p.value()));
        List<String> members = cluster.membersSeenBy(p, leader.node()).orElseThrow();
        if (!new HashSet<>(members).equals(new HashSet<>(replicas))) {
          throw new AssertionError("partition " + p.value() + ": its leader's group is " + members
              + ", the metadata service says " + replicas);
        }
      }
      for (Map.Entry<PartitionId, String> e : newReplicas.entrySet()) {
        if (snapshotInstalls.get(e.getKey()) < 1) {
          throw new AssertionError("the new replica of partition " + e.getKey().value() + " on " + e.getValue()
              + " installed no snapshot; its leader's log should have been purged");
        }
        if (!cluster.az(e.getValue()).equals(cluster.az(victim))) {
          throw new AssertionError("partition " + e.getKey().value() + " was repaired on " + e.getValue()
              + ", not in " + cluster.az(victim) + " where a node had room");
        }
      }

      ChaosChecks.assertLinearizable(load.history(), seed);
      Map<String, String> acknowledged = new LinkedHashMap<>(load.insertedAcked());
      acknowledged.putAll(items);
      ChaosChecks.assertNoAcknowledgedInsertLost(cluster, table, acknowledged);
      if (!load.unexpectedErrors().isEmpty()) {
        throw new AssertionError("unexpected errors (seed " + seed + "): " + load.unexpectedErrors());
      }
      long convergedMs = ChaosChecks.awaitConverged(cluster, table);
      List<String> compared = new ArrayList<>(keys);
      compared.addAll(acknowledged.keySet());
      int count = ChaosChecks.assertReplicasEqual(cluster, table, compared);
      System.out.println("[chaos] replicas converged " + convergedMs + " ms after the load stopped; " + count
          + " keys identical on all three replicas, new ones included: " + table.partitions().stream()
              .map(r -> r.partitionId().value() + "=" + cluster.replicaStates(r.partitionId()).values().stream()
                  .map(s -> s.node() + "@" + s.applied()).collect(Collectors.joining(",")))
              .collect(Collectors.joining(" ")));
    }

    // The dead node comes back: its replicas were replaced, so it drops them and their items.
    long restartNanos = System.nanoTime();
    cluster.restart(victim);
    ChaosChecks.await(victim + " drops its replaced replicas", DROPPED_WITHIN_MS,
        () -> affected.stream().allMatch(p -> cluster.membersSeenBy(p, victim).isEmpty())
            && logLines(victim, "replica removed: replaced while this node was away") >= affected.size(),
        () -> affected.stream().map(p -> p + " seen by " + victim + ": " + cluster.membersSeenBy(p, victim))
            .collect(Collectors.joining("; ")));
    long droppedMs = (System.nanoTime() - restartNanos) / 1_000_000;
    int removals = logLines(victim, "replica removed: replaced while this node was away");
    int removalsWithItems = logLines(victim, "\"itemsDeleted\":true");
    System.out.println("[chaos] " + victim + " restarted and dropped its replaced replicas " + droppedMs
        + " ms after the restart began (" + removals + " removal lines, " + removalsWithItems + " with items deleted)");
    if (removalsWithItems < affected.size()) {
      throw new AssertionError(victim + " logged " + removalsWithItems + " removals with items deleted, expected "
          + affected.size());
    }
    Map<String, String> afterRestart = writeItems(table, "restarted", ITEMS_AFTER);
    ChaosChecks.assertNoAcknowledgedInsertLost(cluster, table, afterRestart);
    for (var range : table.partitions()) {
      if (cluster.replicas(range.partitionId()).contains(victim)) {
        throw new AssertionError("partition " + range.partitionId().value() + " is assigned to " + victim
            + " again after its restart");
      }
    }
  }

  /** The node holding the most replicas (then: leading the most partitions, then by name). */
  static String victim(Map<PartitionId, List<String>> placement, Map<PartitionId, ReplicaState> leaders) {
    Map<String, Integer> replicas = new TreeMap<>();
    placement.values().forEach(nodes -> nodes.forEach(n -> replicas.merge(n, 1, Integer::sum)));
    Map<String, Integer> leading = new TreeMap<>();
    leaders.values().forEach(s -> leading.merge(s.node(), 1, Integer::sum));
    return replicas.keySet().stream().max(Comparator.<String>comparingInt(replicas::get)
        .thenComparingInt(n -> leading.getOrDefault(n, 0)).thenComparing(Comparator.reverseOrder())).orElseThrow();
  }

  static Map<PartitionId, List<String>> placement(TableDefinition table) {
    Map<PartitionId, List<String>> placement = new TreeMap<>(Comparator.comparingLong(PartitionId::value));
    for (var range : table.partitions()) {
      placement.put(range.partitionId(), cluster.replicas(range.partitionId()));
    }
    return placement;
  }

  static String assignments(TableDefinition table) {
    return table.partitions().stream().map(r -> cluster.assignment(r.partitionId()).map(Object::toString)
        .orElse(r.partitionId() + " unassigned")).collect(Collectors.joining("; "));
  }

  /**
   * Puts {@code count} items of their own through the routers in turn; a call that fails in a way
   * that leaves the outcome open or certainly unapplied (503, 500, timeout) is sent again, which is
   * safe for an unconditional put of the same value. Every item must be acknowledged.
   */
  static Map<String, String> writeItems(TableDefinition table, String prefix, int count) {
    Map<String, String> written = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String key = prefix + "-" + i;
      String value = prefix + "-value-" + i;
      DynamoDbClient client = cluster.routers().get(i % cluster.routers().size());
      RuntimeException last = null;
      for (int attempt = 1; attempt <= WRITE_ATTEMPTS_MAX && !written.containsKey(key); attempt++) {
        try {
          client.putItem(b -> b.tableName(table.name()).item(Map.of(RegisterLoad.PK, AttributeValue.fromS(key),
              RegisterLoad.VALUE, AttributeValue.fromS(value), "pad", AttributeValue.fromS(PADDING))));
          written.put(key, value);
        } catch (DynamoDbException | software.amazon.awssdk.core.exception.SdkClientException e) {
          last = e;
          sleep(200);
        }
      }
      if (!written.containsKey(key)) {
        throw new AssertionError("PutItem " + key + " failed " + WRITE_ATTEMPTS_MAX + " times; last: " + last, last);
      }
    }
    return written;
  }

  static <K, V> String values(Map<K, V> map) {
    return map.entrySet().stream().map(e -> (e.getKey() instanceof PartitionId p ? Long.toString(p.value())
        : e.getKey().toString()) + ":" + e.getValue()).collect(Collectors.joining(",", "{", "}"));
  }

  /** Lines of a process's log containing {@code text}. */
  static int logLines(String process, String text) {
    try (var lines = Files.lines(cluster.logFile(process), StandardCharsets.UTF_8)) {
      return (int) lines.filter(l -> l.contains(text)).count();
    } catch (IOException e) {
      return -1;
    }
  }
}
