package io.cairn.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Ratis members in one JVM on loopback: replication, failover, restart, snapshots. */
class MetadataClusterTest {
  private static final MetadataServerOptions FAST =
      MetadataServerOptions.defaults().withElectionTimeoutsMs(400, 800).withSnapshotEveryEntries(40);
  private static final long CLIENT_TIMEOUT_MS = 10_000;

  /** A loopback address of this test's own, so ports taken by other tests on 127.0.0.1 don't collide. */
  private static final String HOST = "127.0." + (2 + new java.util.Random().nextInt(250)) + "." + (2 + new java.util.Random().nextInt(250));

  @TempDir Path dir;
  private final List<MetadataPeer> peers = new ArrayList<>();
  private final Map<String, MetadataServer> running = new TreeMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @org.junit.jupiter.api.BeforeAll
  static void noSystemExit() {
    // Ratis exits the JVM when a server fails to bind; in a test that must be a failure instead.
    org.apache.ratis.util.ExitUtils.disableSystemExit();
  }

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    for (MetadataServer s : running.values()) {
      s.close();
    }
  }

  private void startGroup(int members) throws IOException {
    for (int i = 1; i <= members; i++) {
      peers.add(new MetadataPeer("metadata-az" + i + "-1", HOST + ":" + freePort()));
    }
    for (MetadataPeer p : peers) {
      start(p.id());
    }
  }

  private MetadataServer start(String id) throws IOException {
    MetadataServer s = MetadataServer.start(id, peers, dir.resolve(id), FAST);
    running.put(id, s);
    return s;
  }

  private MetadataClient client() {
    RatisMetadataClient c = new RatisMetadataClient(peers, CLIENT_TIMEOUT_MS);
    closeables.add(c);
    return c;
  }

  private MetadataServer leader() {
    waitUntil(() -> running.values().stream().anyMatch(MetadataServer::isLeader), 15_000, "a leader");
    return running.values().stream().filter(MetadataServer::isLeader).findFirst().orElseThrow();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void oneMemberGroupIsTheSameCodeAndRecoversFromItsSnapshotAfterARestart() throws IOException {
    startGroup(1);
    MetadataClient client = client();
    for (int i = 0; i < 100; i++) {
      assertThat(client.createTable("t" + i, bytes("d" + i))).isInstanceOf(MetadataReply.TableWritten.class);
    }
    long firstId = client.allocateIds(IdKind.PARTITION, 10);
    MetadataServer only = running.remove(peers.get(0).id());
    only.close();
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("snapshot.")).count())
          .as("snapshots taken every %d entries", FAST.snapshotEveryEntries()).isPositive();
    }
    start(peers.get(0).id());
    assertThat(client.listTables().tables()).hasSize(100);
    assertThat(client.allocateIds(IdKind.PARTITION, 1)).isEqualTo(firstId + 10);
  }

  @Test
  void singleProcessModeSubmitsInProcessAndTheRoutingCacheTracksLookups() throws IOException {
    startGroup(1);
    MetadataServer only = running.get(peers.get(0).id());
    MetadataClient client = only.inProcessClient(CLIENT_TIMEOUT_MS);
    closeables.add(client);
    // The first call may arrive before the member has elected itself: retried inside the deadline.
    assertThat(client.createTable("t0", bytes("d0"))).isInstanceOf(MetadataReply.TableWritten.class);
    assertThat(client.compareAndSetTable("t0", 999, bytes("x"))).isInstanceOf(MetadataReply.Conflict.class);
    RoutingCache cache = new RoutingCache(client, RoutingCacheOptions.defaults());
    long before = only.stateMachine().queriesServed();
    long start = System.nanoTime();
    int lookups = 20_000;
    runLookups(cache, 1, lookups);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    long served = only.stateMachine().queriesServed() - before;
    System.out.printf("single process, in-process client: %d lookups in %d ms -> %d service reads, %d dropped at the bound%n",
        lookups, elapsedMs, served, cache.metrics().asyncLookupsDropped());
    assertThat(served + cache.metrics().asyncLookupsDropped()).isEqualTo(lookups);
    assertThat(served).isLessThanOrEqualTo(lookups);
  }

  @Test
  void writesSurviveLosingAMemberTheClientFollowsTheNewLeaderAndARestartedMemberCatchesUp() throws IOException {
    startGroup(3);
    MetadataClient client = client();
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      assertThat(client.createTable("before" + i, bytes("x"))).isInstanceOf(MetadataReply.TableWritten.class);
      assertThat(ids.add(client.allocateIds(IdKind.TABLE, 1))).isTrue();
    }

    // Lose the leader: the client must find the new one within its deadline.
    MetadataServer oldLeader = leader();
    String lostId = oldLeader.self().id();
    long lostAtNanos = System.nanoTime();
    running.remove(lostId).close();
    assertThat(client.createTable("after-failover", bytes("y"))).isInstanceOf(MetadataReply.TableWritten.class);
    System.out.printf("metadata failover: first write acknowledged %d ms after the leader stopped%n",
        (System.nanoTime() - lostAtNanos) / 1_000_000);
    for (int i = 0; i < 100; i++) {
      assertThat(client.createTable("after" + i, bytes("y"))).isInstanceOf(MetadataReply.TableWritten.class);
      assertThat(ids.add(client.allocateIds(IdKind.TABLE, 1))).as("id never repeats across a leader change").isTrue();
    }
    assertThat(leader().self().id()).isNotEqualTo(lostId);
    assertThat(client.listTables().tables()).hasSize(121);

    // Restart it: 200+ entries were written without it and snapshots every 40 let the leader purge
    // its log, so it catches up by snapshot plus log.
    MetadataServer restarted = start(lostId);
    MetadataServer leader = leader();
    waitUntil(() -> restarted.appliedIndex() >= leader.appliedIndex(), 30_000, "the restarted member to catch up");
    var tables = (MetadataReply.Tables) restarted.stateMachine().localQuery(new MetadataQuery.ListTables());
    assertThat(tables.tables()).hasSize(121);

    // And it is a full member again: lose another one, the group still has a quorum of two.
    String second = running.keySet().stream().filter(id -> !id.equals(lostId)).findFirst().orElseThrow();
    running.remove(second).close();
    assertThat(client.createTable("last", bytes("z"))).isInstanceOf(MetadataReply.TableWritten.class);
    assertThat(client.getTable("last")).isInstanceOf(MetadataReply.TableFound.class);
  }

  @Test
  void compareAndSetThroughTheGroupRejectsALostUpdate() throws IOException {
    startGroup(3);
    MetadataClient a = client();
    MetadataClient b = client();
    long v1 = ((MetadataReply.TableWritten) a.createTable("orders", bytes("v1"))).version();
    // Two control-plane clients both read v1 and both try to change it.
    var first = a.compareAndSetTable("orders", v1, bytes("from-a"));
    var second = b.compareAndSetTable("orders", v1, bytes("from-b"));
    assertThat(first).isInstanceOf(MetadataReply.TableWritten.class);
    assertThat(second).isInstanceOf(MetadataReply.Conflict.class);
    var found = (MetadataReply.TableFound) b.getTable("orders");
    assertThat(found.table().definition()).isEqualTo(bytes("from-a"));
  }

  @Test
  void routingCacheLoadOnTheRealServiceTracksLookupsWarmAndCold() throws IOException {
    startGroup(3);
    MetadataClient client = client();
    int tables = 20;
    for (int i = 0; i < tables; i++) {
      client.createTable("t" + i, bytes("d" + i));
    }
    int lookups = 2000;
    RoutingCache warm = new RoutingCache(client, new RoutingCacheOptions(4096, CLIENT_TIMEOUT_MS));
    for (int i = 0; i < tables; i++) {
      warm.table("t" + i);
    }
    waitUntil(() -> warm.metrics().inFlight() == 0, 30_000, "warm-up answers");
    long warmServed = served(() -> runLookups(warm, tables, lookups));
    RoutingCache cold = new RoutingCache(client, new RoutingCacheOptions(4096, CLIENT_TIMEOUT_MS));
    long coldServed = served(() -> runLookups(cold, tables, lookups));
    System.out.printf("routing cache over a 3-member Ratis group: %d lookups warm -> %d service reads (hits %d); "
            + "%d lookups cold -> %d service reads (misses %d)%n",
        lookups, warmServed, warm.metrics().hits(), lookups, coldServed, cold.metrics().misses());
    assertThat(warmServed).isBetween((long) (lookups * 0.99), (long) lookups);
    assertThat(coldServed).isBetween((long) (lookups * 0.99), (long) lookups);
    assertThat(cold.metrics().asyncLookupsDropped()).isZero();
  }

  private void runLookups(RoutingCache cache, int tables, int lookups) {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < lookups; i++) {
      all.add(cache.lookupTable("t" + (i % tables)));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    waitUntil(() -> cache.metrics().inFlight() == 0, 30_000, "every async lookup answered");
  }

  /** Reads the service answered (all members) while {@code work} ran. */
  private long served(Runnable work) {
    long before = running.values().stream().mapToLong(s -> s.stateMachine().queriesServed()).sum();
    work.run();
    return running.values().stream().mapToLong(s -> s.stateMachine().queriesServed()).sum() - before;
  }

  private static void waitUntil(BooleanSupplier condition, long timeoutMs, String what) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    }
  }
}
