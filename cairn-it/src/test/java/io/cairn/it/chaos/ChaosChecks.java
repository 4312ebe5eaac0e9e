package io.cairn.it.chaos;

import io.cairn.core.id.PartitionId;
import io.cairn.core.value.AttributeValue;
import io.cairn.it.chaos.ChaosCluster.ReplicaState;
import io.cairn.router.item.ItemKeys;
import io.cairn.router.table.TableDefinition;
import io.cairn.storage.ItemCodec;
import io.cairn.storage.KeyCodec;
import io.cairn.verify.History;
import io.cairn.verify.LinearizabilityChecker;
import io.cairn.verify.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** The steps and checks both chaos tests share. */
final class ChaosChecks {
  static final long POLL_MS = 100;
  /** How long every partition's leadership must stay put before a fault is injected. */
  static final long LEADERS_STABLE_MS = 2_000;
  static final long LEADERS_TIMEOUT_MS = 60_000;
  static final long CONVERGE_TIMEOUT_MS = 30_000;

  private ChaosChecks() {}

  /**
   * A provisioned table of {@code partitions} partitions (DynamoDB's per-partition limits: 3,000
   * RCU and 1,000 WCU each, so 3,000 RCU + (n-1)×1,000 WCU makes n), with a string key {@code pk}.
   */
  /** The load's seed: {@code -Dcairn.chaos.seed}, else a new one; printed so a run can be replayed. */
  static long seed(String test) {
    long seed = Long.getLong("cairn.chaos.seed", System.nanoTime());
    System.out.println("[chaos] " + test + " seed " + seed + " (replay the load with -Dcairn.chaos.seed=" + seed + ")");
    return seed;
  }

  static TableDefinition createTable(ChaosCluster cluster, String name, int partitions) {
    DynamoDbClient client = cluster.routers().getFirst();
    client.createTable(b -> b.tableName(name)
        .attributeDefinitions(AttributeDefinition.builder().attributeName(RegisterLoad.PK)
            .attributeType(ScalarAttributeType.S).build())
        .keySchema(KeySchemaElement.builder().attributeName(RegisterLoad.PK).keyType(KeyType.HASH).build())
        .provisionedThroughput(p -> p.readCapacityUnits(3_000L).writeCapacityUnits(1_000L * (partitions - 1))));
    await("table " + name + " ACTIVE", LEADERS_TIMEOUT_MS, () ->
        client.describeTable(b -> b.tableName(name)).table().tableStatus() == TableStatus.ACTIVE);
    TableDefinition table = cluster.table(name);
    if (table.partitions().size() != partitions) {
      throw new AssertionError("expected " + partitions + " partitions, the table has " + table.partitions().size());
    }
    return table;
  }

  static PartitionId partitionOf(TableDefinition table, String key) {
    return table.partitionFor(KeyCodec.hashPartitionKey(new AttributeValue.S(key))).partitionId();
  }

  static byte[] storageKey(TableDefinition table, String key) {
    return ItemKeys.storageKey(table, Map.of(RegisterLoad.PK, new AttributeValue.S(key)));
  }

  /** {@code count} keys {@code prefix00..}, at least one in every partition of the table. */
  static List<String> keys(TableDefinition table, String prefix, int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(String.format("%s%02d", prefix, i));
    }
    for (var range : table.partitions()) {
      if (keys.stream().noneMatch(k -> partitionOf(table, k).equals(range.partitionId()))) {
        throw new AssertionError("no key of " + keys + " falls in partition " + range.partitionId() + "; use more keys");
      }
    }
    return keys;
  }

  /** A key of the given partition that is not among {@code taken}. */
  static String keyIn(TableDefinition table, PartitionId partition, String prefix) {
    for (int i = 0; i < 100_000; i++) {
      String key = prefix + i;
      if (partitionOf(table, key).equals(partition)) {
        return key;
      }
    }
    throw new AssertionError("no key " + prefix + "N falls in partition " + partition);
  }

  /**
   * Waits until every partition has a leader (by the replicas' own account) and no leader has
   * changed for {@link #LEADERS_STABLE_MS}: auto-admin balances leaders after placement, and a
   * transfer under way would blur what the fault does. Returns the leaders.
   */
  static Map<PartitionId, ReplicaState> awaitStableLeaders(ChaosCluster cluster, TableDefinition table) {
    long deadline = System.nanoTime() + LEADERS_TIMEOUT_MS * 1_000_000;
    Map<PartitionId, String> previous = Map.of();
    long stableSince = System.nanoTime();
    while (true) {
      Map<PartitionId, ReplicaState> leaders = leaders(cluster, table);
      Map<PartitionId, String> names = new TreeMap<>(java.util.Comparator.comparingLong(PartitionId::value));
      leaders.forEach((p, s) -> names.put(p, s.node()));
      boolean complete = leaders.size() == table.partitions().size();
      if (!complete || !names.equals(previous)) {
        stableSince = System.nanoTime();
        previous = names;
      } else if (System.nanoTime() - stableSince >= LEADERS_STABLE_MS * 1_000_000) {
        System.out.println("[chaos] leaders stable: " + names);
        return leaders;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("leaders not stable after " + LEADERS_TIMEOUT_MS + " ms; last seen " + names
            + "\n" + describeReplicas(cluster, table));
      }
      sleep(250);
    }
  }

  /** The leader of every partition that has one now. */
  static Map<PartitionId, ReplicaState> leaders(ChaosCluster cluster, TableDefinition table) {
    Map<PartitionId, ReplicaState> leaders = new LinkedHashMap<>();
    for (var range : table.partitions()) {
      ChaosCluster.leader(cluster.replicaStates(range.partitionId())).ifPresent(l -> leaders.put(range.partitionId(), l));
    }
    return leaders;
  }

  static String describeReplicas(ChaosCluster cluster, TableDefinition table) {
    StringBuilder out = new StringBuilder();
    for (var range : table.partitions()) {
      out.append("  partition ").append(range.partitionId().value()).append(": ");
      out.append(String.join(" | ", cluster.replicaStates(range.partitionId()).values().stream()
          .map(ReplicaState::describe).toList())).append('\n');
    }
    return out.toString();
  }

  /**
   * Waits until, in every partition, every replica has applied the same index as the leader (the
   * load has stopped), and returns how long that took; fails naming the replicas that lag.
   */
  static long awaitConverged(ChaosCluster cluster, TableDefinition table) {
    long t0 = System.nanoTime();
    await("every replica applied up to its leader", CONVERGE_TIMEOUT_MS, () -> {
      for (var range : table.partitions()) {
        Map<String, ReplicaState> states = cluster.replicaStates(range.partitionId());
        Optional<ReplicaState> leader = ChaosCluster.leader(states);
        if (leader.isEmpty() || states.values().stream().anyMatch(s -> s.applied() != leader.get().applied())) {
          return false;
        }
      }
      return true;
    }, () -> describeReplicas(cluster, table));
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /**
   * Waits until {@code node}'s replica of each partition has applied at least {@code target}'s
   * index for it; returns, per partition, the milliseconds that took. Fails naming the laggards.
   */
  static Map<PartitionId, Long> awaitCaughtUp(ChaosCluster cluster, TableDefinition table, String node,
      Map<PartitionId, Long> target, long timeoutMs) {
    long t0 = System.nanoTime();
    Map<PartitionId, Long> reached = new LinkedHashMap<>();
    await(node + " applies every partition up to " + target, timeoutMs, () -> {
      for (Map.Entry<PartitionId, Long> e : target.entrySet()) {
        if (!reached.containsKey(e.getKey()) && cluster.replica(e.getKey(), node).applied() >= e.getValue()) {
          reached.put(e.getKey(), (System.nanoTime() - t0) / 1_000_000);
        }
      }
      return reached.size() == target.size();
    }, () -> "reached: " + reached + "\n" + describeReplicas(cluster, table));
    return reached;
  }

  /**
   * Every replica holds the same bytes under every key (after {@link #awaitConverged}). Returns
   * the number of keys compared; fails with the first differences.
   */
  static int assertReplicasEqual(ChaosCluster cluster, TableDefinition table, List<String> keys) {
    List<String> differences = new ArrayList<>();
    for (String key : keys) {
      PartitionId partition = partitionOf(table, key);
      byte[] storageKey = storageKey(table, key);
      Map<String, byte[]> byNode = new LinkedHashMap<>();
      for (String node : cluster.replicas(partition)) {
        byNode.put(node, cluster.readFrom(partition, storageKey, node));
      }
      byte[] first = byNode.values().iterator().next();
      if (byNode.values().stream().anyMatch(b -> !Arrays.equals(b, first)) && differences.size() < 10) {
        Map<String, String> rendered = new LinkedHashMap<>();
        byNode.forEach((n, b) -> rendered.put(n, b == null ? "absent" : ItemCodec.decode(b).toString()));
        differences.add("key " + key + " (partition " + partition.value() + "): " + rendered);
      }
    }
    if (!differences.isEmpty()) {
      throw new AssertionError("replicas differ after they applied the same index:\n  "
          + String.join("\n  ", differences));
    }
    return keys.size();
  }

  /**
   * Every acknowledged write-once insert is readable, strongly consistent, through a router and,
   * on every replica, with its value.
   */
  static void assertNoAcknowledgedInsertLost(ChaosCluster cluster, TableDefinition table, Map<String, String> acked) {
    DynamoDbClient client = cluster.routers().getFirst();
    List<String> lost = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(acked).entrySet()) {
      var item = client.getItem(b -> b.tableName(table.name()).consistentRead(true)
          .key(Map.of(RegisterLoad.PK, software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(e.getKey()))))
          .item();
      String seen = item == null || item.isEmpty() ? null : item.get(RegisterLoad.VALUE).s();
      if (!e.getValue().equals(seen) && lost.size() < 20) {
        lost.add(e.getKey() + " (acknowledged " + e.getValue() + ", read " + seen + ")");
      }
    }
    if (!lost.isEmpty()) {
      throw new AssertionError("acknowledged writes lost (" + lost.size() + " of " + acked.size() + " shown):\n  "
          + String.join("\n  ", lost));
    }
  }

  /** The history is linearizable; otherwise the counterexamples, with the seed to replay the load. */
  static Verdict.Linearizable assertLinearizable(History history, long seed) {
    long t0 = System.nanoTime();
    Verdict verdict = new LinearizabilityChecker().check(history);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    return switch (verdict) {
      case Verdict.Linearizable ok -> {
        System.out.printf("[chaos] history linearizable: %d operations on %d keys, %d states, checked in %d ms%n",
            ok.operationCount(), ok.keyCount(), ok.statesExplored(), ms);
        yield ok;
      }
      case Verdict.NotLinearizable bad -> throw new AssertionError("expected a linearizable history of "
          + history.size() + " operations (seed " + seed + "); " + bad.describe());
      case Verdict.Unknown u -> throw new AssertionError("the checker gave up on keys " + u.keysOverBudget()
          + " after " + u.statesExplored() + " states (seed " + seed + ")");
    };
  }

  /**
   * Milliseconds from {@code sinceNanos} to the completion of the first write to {@code partition}
   * that was sent after it and answered by a leader (committed, or a condition judged); empty if
   * none was.
   */
  static OptionalLong writesResumedAfterMs(List<RegisterLoad.Event> events, PartitionId partition, long sinceNanos) {
    return events.stream()
        .filter(e -> e.partition().equals(partition) && e.isWrite() && e.invokedNanos() >= sinceNanos
            && e.answeredByLeader())
        .mapToLong(e -> (e.completedNanos() - sinceNanos) / 1_000_000)
        .min();
  }

  /** Writes to a partition sent in [from, to) by result, for messages. */
  static String writeResults(List<RegisterLoad.Event> events, PartitionId partition, long fromNanos, long toNanos) {
    Map<String, Integer> counts = new TreeMap<>();
    for (RegisterLoad.Event e : events) {
      if (e.partition().equals(partition) && e.isWrite() && e.invokedNanos() >= fromNanos && e.invokedNanos() < toNanos) {
        counts.merge(e.result().name(), 1, Integer::sum);
      }
    }
    return counts.toString();
  }

  /**
   * The machine's one-minute load average: the times these tests measure stretch with it (on two
   * cores, a load of 20 doubled the election time), so every measurement line carries it.
   */
  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static void await(String what, long timeoutMs, BooleanSupplier done) {
    await(what, timeoutMs, done, () -> "");
  }

  static void await(String what, long timeoutMs, BooleanSupplier done, java.util.function.Supplier<String> detail) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + what + " within " + timeoutMs + " ms\n" + detail.get());
      }
      sleep(POLL_MS);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
