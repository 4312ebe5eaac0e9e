package io.cairn.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The constant-work property as an operator reads it: through the Micrometer registry, against a
 * real one-member metadata group and the in-process client (single-process mode). Metadata requests
 * must track lookups whether every lookup hits (warm) or every lookup misses (cold, after every
 * entry was invalidated).
 *
 * <p>The bound stated and checked, per phase: {@code lookups <= requests <= lookups + refreshes},
 * where refreshes are the invalidations the phase itself asked for — {@link #TABLES} in the cold
 * phase (1% of {@link #LOOKUPS}), none in the warm one. And exactly: sent + dropped = lookups +
 * refreshes.
 */
class RoutingCacheMetersTest {
  private static final int TABLES = 20;
  private static final int LOOKUPS = 2_000;
  private static final long TIMEOUT_MS = 10_000;
  /** Well above LOOKUPS + TABLES, so no request is dropped and the counts are exact. */
  private static final int IN_FLIGHT_MAX = 4_096;
  private static final String HOST = "127.0." + (2 + new java.util.Random().nextInt(250)) + "." + (2 + new java.util.Random().nextInt(250));

  @TempDir Path dir;
  private MetadataServer server;
  private MetadataClient client;

  @BeforeAll
  static void noSystemExit() {
    org.apache.ratis.util.ExitUtils.disableSystemExit();
  }

  @BeforeEach
  void start() throws IOException {
    MetadataPeer self = new MetadataPeer("metadata-az1-1", HOST + ":" + freePort());
    server = MetadataServer.start(self.id(), List.of(self), dir.resolve(self.id()),
        MetadataServerOptions.defaults().withElectionTimeoutsMs(400, 800));
    client = server.inProcessClient(TIMEOUT_MS);
    for (int i = 0; i < TABLES; i++) {
      assertThat(client.createTable("t" + i, ("d" + i).getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(MetadataReply.TableWritten.class);
    }
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    server.close();
  }

  @Test
  void metadataRequestsTrackLookupsWithAWarmCacheAndAColdOne() {
    GatedClient gated = new GatedClient(client);
    RoutingCache cache = new RoutingCache(gated, new RoutingCacheOptions(IN_FLIGHT_MAX, TIMEOUT_MS));
    MeterRegistry registry = new SimpleMeterRegistry();
    new RoutingCacheMeters(cache.metrics()).bindTo(registry);
    for (int i = 0; i < TABLES; i++) {
      assertThat(cache.table("t" + i)).isNotNull();
    }
    awaitIdle(cache);

    // Warm: every table cached, every lookup a hit.
    Reading before = Reading.of(registry, server);
    awaitAll(issueLookups(cache));
    awaitIdle(cache);
    Reading warm = Reading.of(registry, server).minus(before);

    // Cold: every entry invalidated, and the service's answers held until the lookups are in, so
    // none of them can be answered from the cache (the refreshes would otherwise race them).
    before = Reading.of(registry, server);
    gated.hold();
    for (int i = 0; i < TABLES; i++) {
      cache.invalidate("t" + i);
    }
    List<CompletableFuture<?>> coldLookups = issueLookups(cache);
    assertThat(coldLookups).noneMatch(CompletableFuture::isDone);
    gated.release();
    awaitAll(coldLookups);
    awaitIdle(cache);
    Reading cold = Reading.of(registry, server).minus(before);

    System.out.printf("routing cache, in-process metadata: warm %s; cold %s%n", warm, cold);
    assertThat(warm.hits()).isEqualTo(LOOKUPS);
    assertThat(warm.misses()).isZero();
    assertThat(warm.refreshes()).isZero();
    assertThat(cold.hits()).isZero();
    assertThat(cold.misses()).isEqualTo(LOOKUPS);
    assertThat(cold.refreshes()).isEqualTo(TABLES);
    for (Reading phase : List.of(warm, cold)) {
      assertThat(phase.lookups()).isEqualTo(LOOKUPS);
      assertThat(phase.sent() + phase.dropped()).as("sent + dropped in %s", phase).isEqualTo(phase.lookups() + phase.refreshes());
      assertThat(phase.sent()).as("requests sent in %s", phase).isBetween(phase.lookups(), phase.lookups() + phase.refreshes());
      assertThat(phase.failed()).isZero();
      // What the router counts as sent is what the metadata service answered.
      assertThat(phase.served()).as("reads served in %s", phase).isEqualTo(phase.sent());
    }
    assertThat(registry.get(RoutingCacheMeters.CACHE_ENTRIES).gauge().value()).isEqualTo(TABLES);
    assertThat(registry.get(RoutingCacheMeters.REQUESTS_IN_FLIGHT).gauge().value()).isZero();
  }

  @Test
  void extraTagsDistinguishTwoCachesInOneRegistry() {
    MeterRegistry registry = new SimpleMeterRegistry();
    RoutingCache a = new RoutingCache(client, RoutingCacheOptions.defaults());
    RoutingCache b = new RoutingCache(client, RoutingCacheOptions.defaults());
    new RoutingCacheMeters(a.metrics(), Tags.of("cache", "a")).bindTo(registry);
    new RoutingCacheMeters(b.metrics(), Tags.of("cache", "b")).bindTo(registry);
    a.table("t1");
    a.table("t1");
    b.table("t2");
    assertThat(registry.get(RoutingCacheMeters.LOOKUPS).tags("cache", "a", "result", "hit").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get(RoutingCacheMeters.LOOKUPS).tags("cache", "a", "result", "miss").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get(RoutingCacheMeters.LOOKUPS).tags("cache", "b", "result", "miss").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get(RoutingCacheMeters.LOOKUPS).tags("cache", "b", "result", "hit").functionCounter().count()).isZero();
  }

  /** The counters of one phase, read from the registry, and the reads the service answered. */
  record Reading(long hits, long misses, long sent, long dropped, long failed, long refreshes, long served) {
    static Reading of(MeterRegistry registry, MetadataServer server) {
      return new Reading(
          count(registry, RoutingCacheMeters.LOOKUPS, RoutingCacheMeters.TAG_RESULT, "hit"),
          count(registry, RoutingCacheMeters.LOOKUPS, RoutingCacheMeters.TAG_RESULT, "miss"),
          count(registry, RoutingCacheMeters.REQUESTS, RoutingCacheMeters.TAG_OUTCOME, "sent"),
          count(registry, RoutingCacheMeters.REQUESTS, RoutingCacheMeters.TAG_OUTCOME, "dropped"),
          (long) registry.get(RoutingCacheMeters.REQUEST_FAILURES).functionCounter().count(),
          (long) registry.get(RoutingCacheMeters.REFRESHES).functionCounter().count(),
          server.stateMachine().queriesServed());
    }

    private static long count(MeterRegistry registry, String name, String tag, String value) {
      return (long) registry.get(name).tag(tag, value).functionCounter().count();
    }

    long lookups() {
      return hits + misses;
    }

    Reading minus(Reading o) {
      return new Reading(hits - o.hits, misses - o.misses, sent - o.sent, dropped - o.dropped, failed - o.failed,
          refreshes - o.refreshes, served - o.served);
    }
  }

  private static List<CompletableFuture<?>> issueLookups(RoutingCache cache) {
    List<CompletableFuture<?>> all = new ArrayList<>(LOOKUPS);
    for (int i = 0; i < LOOKUPS; i++) {
      all.add(cache.lookupTable("t" + (i % TABLES)));
    }
    return all;
  }

  private static void awaitAll(List<CompletableFuture<?>> lookups) {
    CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).join();
    assertThat(lookups).allMatch(f -> ((CompletableFuture<?>) f).join() instanceof java.util.Optional<?> o && o.isPresent());
  }

  /** Until every request (the hits' asynchronous ones too) has been answered. */
  private static void awaitIdle(RoutingCache cache) {
    waitUntil(() -> cache.metrics().inFlight() == 0, TIMEOUT_MS, "every metadata request answered");
  }

  /**
   * The in-process client, but while held the answers wait: each read reaches the service at once
   * (and is counted there), and its reply is delivered on {@link #release()} — a slow service.
   */
  private static final class GatedClient implements MetadataClient {
    private final MetadataClient inner;
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    GatedClient(MetadataClient inner) {
      this.inner = inner;
    }

    void hold() {
      gate = new CompletableFuture<>();
    }

    void release() {
      gate.complete(null);
    }

    @Override
    public CompletableFuture<MetadataReply> write(MetadataCommand command) {
      return inner.write(command);
    }

    @Override
    public CompletableFuture<MetadataReply> read(MetadataQuery query) {
      return inner.read(query).thenCombine(gate, (reply, open) -> reply);
    }

    @Override
    public long requestTimeoutMs() {
      return inner.requestTimeoutMs();
    }

    @Override
    public void close() {}
  }

  private static void waitUntil(BooleanSupplier condition, long timeoutMs, String what) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
      }
      try {
        Thread.sleep(10);
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
