package io.cairn.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.id.PartitionId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The constant-work property, driven deterministically: simulated seconds are steps of a loop, the
 * service answers when the driver says so, and the assertions count requests — no sleeps, no
 * wall-clock rates.
 */
class RoutingCacheTest {
  private static final int TABLES = 50;
  private static final int LOOKUPS_PER_SECOND = 1000;
  private static final int SECONDS = 10;

  private final ManualMetadataService service = new ManualMetadataService();

  private void createTables() {
    for (int i = 0; i < TABLES; i++) {
      service.createTable("t" + i, ("def" + i).getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Runs {@link #SECONDS} simulated seconds of {@link #LOOKUPS_PER_SECOND} lookups each over all
   * tables; the service answers at the end of each second. Returns service reads per second.
   * {@code clearAtSecond} empties the cache at the start of that second (a router restart).
   */
  private long[] drive(RoutingCache cache, int clearAtSecond, List<CompletableFuture<Optional<TableRecord>>> results) {
    long[] readsPerSecond = new long[SECONDS];
    RoutingCache current = cache;
    for (int second = 0; second < SECONDS; second++) {
      if (second == clearAtSecond) {
        current = new RoutingCache(service, RoutingCacheOptions.defaults());
      }
      long before = service.reads();
      for (int i = 0; i < LOOKUPS_PER_SECOND; i++) {
        results.add(current.lookupTable("t" + (i % TABLES)));
      }
      service.answerAll();
      readsPerSecond[second] = service.reads() - before;
    }
    return readsPerSecond;
  }

  @Test
  void serviceRequestsTrackTheLookupRateWithAWarmCacheAndWithAColdOne() {
    createTables();
    // Warm: every table cached before measuring.
    RoutingCache warm = new RoutingCache(service, RoutingCacheOptions.defaults());
    for (int i = 0; i < TABLES; i++) {
      warm.lookupTable("t" + i);
    }
    service.answerAll();
    List<CompletableFuture<Optional<TableRecord>>> warmResults = new ArrayList<>();
    long[] warmReads = drive(warm, -1, warmResults);
    RoutingCacheMetrics wm = warm.metrics();

    // Cold: a fresh cache, and a second fresh cache again at second 5 (router restart).
    RoutingCache cold = new RoutingCache(service, RoutingCacheOptions.defaults());
    List<CompletableFuture<Optional<TableRecord>>> coldResults = new ArrayList<>();
    long[] coldReads = drive(cold, 5, coldResults);

    for (int s = 0; s < SECONDS; s++) {
      // Within 1% of the lookup rate, every second, warm or cold — no bimodality.
      assertThat(warmReads[s]).as("warm second %d", s).isBetween((long) (LOOKUPS_PER_SECOND * 0.99), (long) LOOKUPS_PER_SECOND);
      assertThat(coldReads[s]).as("cold second %d", s).isBetween((long) (LOOKUPS_PER_SECOND * 0.99), (long) LOOKUPS_PER_SECOND);
    }
    assertThat(wm.hits()).isEqualTo((long) SECONDS * LOOKUPS_PER_SECOND);
    assertThat(wm.misses()).isEqualTo(TABLES); // only the warm-up
    assertThat(cold.metrics().misses()).isEqualTo(LOOKUPS_PER_SECOND / TABLES * TABLES); // first second cold, all miss
    // Every lookup got its table.
    for (var r : warmResults) {
      assertThat(r.join()).isPresent();
    }
    for (var r : coldResults) {
      assertThat(r.join()).isPresent();
    }
  }

  @Test
  void aColdCacheUnderABurstSendsNoMoreRequestsThanLookups() {
    createTables();
    int inFlightMax = 256;
    RoutingCache cache = new RoutingCache(service, new RoutingCacheOptions(inFlightMax, 60_000));
    int burst = 10_000;
    List<CompletableFuture<Optional<TableRecord>>> results = new ArrayList<>();
    // The whole burst arrives before the service answers anything.
    for (int i = 0; i < burst; i++) {
      results.add(cache.lookupTable("t" + (i % TABLES)));
    }
    RoutingCacheMetrics m = cache.metrics();
    assertThat(service.reads()).isLessThanOrEqualTo(burst).isEqualTo(inFlightMax);
    assertThat(m.asyncLookupsSent()).isEqualTo(inFlightMax);
    assertThat(m.asyncLookupsDropped()).isEqualTo(burst - inFlightMax);
    assertThat(m.missesJoined()).isEqualTo(burst - inFlightMax);
    assertThat(m.missesRejected()).isZero();
    assertThat(m.inFlight()).isEqualTo(inFlightMax);
    service.answerAll();
    for (var r : results) {
      assertThat(r.join()).isPresent();
    }
    assertThat(m.inFlight()).isZero();
    assertThat(m.entries()).isEqualTo(TABLES);
    assertThat(m.asyncLookupsSent() + m.asyncLookupsDropped()).isEqualTo(m.lookups() + m.refreshes());
  }

  @Test
  void atTheBoundHitsAreStillAnsweredAndAMissWithNothingInFlightFailsFast() {
    createTables();
    RoutingCache cache = new RoutingCache(service, new RoutingCacheOptions(4, 60_000));
    for (int i = 0; i < 4; i++) {
      cache.lookupTable("t" + i);
    }
    service.answerAll();
    for (int i = 0; i < 4; i++) {
      cache.lookupTable("t" + i); // hits; fills the bound with 4 outstanding requests
    }
    assertThat(service.outstanding()).isEqualTo(4);
    // A hit at the bound: answered at once, its request dropped and counted.
    CompletableFuture<Optional<TableRecord>> hit = cache.lookupTable("t0");
    assertThat(hit).isCompleted();
    assertThat(hit.join()).isPresent();
    // A miss at the bound with no request in flight for its key: fails at once, never blocks.
    CompletableFuture<Optional<TableRecord>> miss = cache.lookupTable("t9");
    assertThat(miss).isCompletedExceptionally();
    assertThatThrownBy(miss::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(MetadataUnavailableException.class);
    assertThat(cache.metrics().asyncLookupsDropped()).isEqualTo(2);
    assertThat(cache.metrics().missesRejected()).isEqualTo(1);
    assertThat(service.reads()).isEqualTo(8);
  }

  @Test
  void invalidateRefreshesImmediately() {
    createTables();
    RoutingCache cache = new RoutingCache(service, RoutingCacheOptions.defaults());
    cache.lookupTable("t1");
    service.answerAll();
    TableRecord v1 = cache.lookupTable("t1").join().orElseThrow();
    service.answerAll();
    // The control plane changes t1; this router learns of it (e.g. it made the change).
    service.compareAndSetTable("t1", v1.version(), "def1-v2".getBytes(StandardCharsets.UTF_8));
    long readsBefore = service.reads();
    cache.invalidate("t1");
    // The refresh went out at once, without waiting for a lookup.
    assertThat(service.reads()).isEqualTo(readsBefore + 1);
    assertThat(cache.metrics().refreshes()).isEqualTo(1);
    service.answerAll();
    // The next lookup is a hit on the new definition.
    long hitsBefore = cache.metrics().hits();
    TableRecord now = cache.lookupTable("t1").join().orElseThrow();
    assertThat(now.definition()).isEqualTo("def1-v2".getBytes(StandardCharsets.UTF_8));
    assertThat(cache.metrics().hits()).isEqualTo(hitsBefore + 1);
    RoutingCacheMetrics m = cache.metrics();
    assertThat(m.asyncLookupsSent() + m.asyncLookupsDropped()).isEqualTo(m.lookups() + m.refreshes());
  }

  @Test
  void anAnswerReadBeforeAnInvalidationIsNotCached() {
    createTables();
    DelayingService delaying = new DelayingService(service);
    RoutingCache cache = new RoutingCache(delaying, RoutingCacheOptions.defaults());
    cache.lookupTable("t1");
    delaying.deliver(0);
    TableRecord v1 = cache.table("t1");
    delaying.deliver(0);
    cache.lookupTable("t1"); // a hit; its request reads v1 and its answer is delayed
    service.compareAndSetTable("t1", v1.version(), "v2".getBytes(StandardCharsets.UTF_8));
    cache.invalidate("t1"); // the refresh reads v2, also delayed
    delaying.deliver(0); // the old answer (v1) arrives first: it must not be cached again
    CompletableFuture<Optional<TableRecord>> afterStale = cache.lookupTable("t1");
    assertThat(afterStale).as("v1 must not be served after the invalidation").isNotCompleted();
    delaying.deliver(0); // the refresh: v2
    delaying.deliver(0); // the miss's own request (a miss waits for the answer to its own lookup)
    assertThat(afterStale.join().orElseThrow().definition()).isEqualTo("v2".getBytes(StandardCharsets.UTF_8));
    assertThat(cache.lookupTable("t1").join().orElseThrow().definition()).isEqualTo("v2".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aStaleRouteReportRefreshesThePartitionNow() {
    service.registerNode("n1", "az1", "h:1", 0);
    service.registerNode("n2", "az2", "h:2", 0);
    service.registerNode("n3", "az3", "h:3", 0);
    PartitionId p = new PartitionId(4);
    service.setPartitionReplicas(p, List.of("n1", "n2", "n3"), "n1", MetadataCommand.ANY_VERSION);
    RoutingCache cache = new RoutingCache(service, RoutingCacheOptions.defaults());
    var first = cache.lookupPartition(p);
    service.answerAll();
    assertThat(first.join().orElseThrow().leaderHint()).isEqualTo("n1");
    service.setPartitionReplicas(p, List.of("n1", "n2", "n3"), "n2", MetadataCommand.ANY_VERSION);
    long readsBefore = service.reads();
    cache.reportStaleRoute(p); // a storage node said NotLeader
    assertThat(service.reads()).isEqualTo(readsBefore + 1);
    service.answerAll();
    assertThat(cache.lookupPartition(p).join().orElseThrow().leaderHint()).isEqualTo("n2");
  }

  @Test
  void anOlderAnswerArrivingLateNeverReplacesANewerOne() {
    createTables();
    DelayingService delaying = new DelayingService(service);
    RoutingCache cache = new RoutingCache(delaying, RoutingCacheOptions.defaults());
    cache.lookupTable("t2");
    delaying.deliver(0); // v1 cached
    TableRecord v1 = cache.table("t2"); // request B reads v1, delayed
    service.compareAndSetTable("t2", v1.version(), "v2".getBytes(StandardCharsets.UTF_8));
    cache.lookupTable("t2"); // request C reads v2
    delaying.deliver(1); // C first: v2 cached
    delaying.deliver(0); // then B's v1, late
    assertThat(cache.table("t2").definition()).isEqualTo("v2".getBytes(StandardCharsets.UTF_8));
    assertThat(cache.metrics().hits()).isEqualTo(3);
  }

  @Test
  void aMissFailsWithinItsDeadlineWhenTheServiceDoesNotAnswer() {
    createTables();
    RoutingCache cache = new RoutingCache(service, new RoutingCacheOptions(16, 50));
    CompletableFuture<Optional<TableRecord>> miss = cache.lookupTable("t1");
    assertThatThrownBy(miss::join).hasCauseInstanceOf(MetadataUnavailableException.class);
    assertThat(cache.metrics().failures()).isEqualTo(1);
    assertThat(cache.metrics().inFlight()).isZero(); // the timed-out request gave its slot back
  }

  /**
   * Answers each read from the state at the time it is sent (as a service would), but delivers the
   * answers in the order the test chooses — the reordering a network and a leader change can cause.
   */
  private static final class DelayingService implements MetadataClient {
    private final ManualMetadataService inner;
    private final List<CompletableFuture<MetadataReply>> futures = new ArrayList<>();
    private final List<MetadataReply> answers = new ArrayList<>();

    DelayingService(ManualMetadataService inner) {
      this.inner = inner;
    }

    @Override
    public CompletableFuture<MetadataReply> write(MetadataCommand command) {
      return inner.write(command);
    }

    @Override
    public CompletableFuture<MetadataReply> read(MetadataQuery query) {
      CompletableFuture<MetadataReply> f = new CompletableFuture<>();
      futures.add(f);
      answers.add(inner.state.query(query));
      return f;
    }

    /** Delivers the {@code i}-th outstanding answer (0 = oldest). */
    void deliver(int i) {
      CompletableFuture<MetadataReply> f = futures.remove(i);
      f.complete(answers.remove(i));
    }

    @Override
    public long requestTimeoutMs() {
      return 60_000;
    }

    @Override
    public void close() {}
  }
}
