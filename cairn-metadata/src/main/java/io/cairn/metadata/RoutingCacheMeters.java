package io.cairn.metadata;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Exports a {@link RoutingCache}'s {@link RoutingCacheMetrics} to Micrometer. The counters stay
 * where they are (LongAdders in the cache); the registry reads them when it is scraped, so binding
 * adds nothing to the lookup path.
 *
 * <p>The constant-work property reads straight off the export: {@code cairn.metadata.requests}
 * (sent + dropped) rises with {@code cairn.metadata.lookups} (hit + miss) plus
 * {@code cairn.metadata.refreshes}, whatever the hit/miss split — an operator sees a cold cache as
 * a change of the result tag, not of the load on the metadata service.
 *
 * <p>The names are {@code io.cairn.protocol.metrics.CairnMeters}'s (docs/metrics.md); that class
 * lives in a module above this one, so they are spelled here again. Micrometer holds function
 * meters' state weakly: the meters read NaN once the cache is unreachable, so keep the cache (as a
 * router does for its lifetime).
 */
public final class RoutingCacheMeters implements MeterBinder {
  public static final String LOOKUPS = "cairn.metadata.lookups";
  public static final String REQUESTS = "cairn.metadata.requests";
  public static final String REQUEST_FAILURES = "cairn.metadata.request.failures";
  public static final String REFRESHES = "cairn.metadata.refreshes";
  public static final String MISSES_AT_BOUND = "cairn.metadata.misses.at_bound";
  public static final String CACHE_UPDATES = "cairn.metadata.cache.updates";
  public static final String REQUESTS_IN_FLIGHT = "cairn.metadata.requests.in_flight";
  public static final String CACHE_ENTRIES = "cairn.metadata.cache.entries";

  public static final String TAG_RESULT = "result";
  public static final String TAG_OUTCOME = "outcome";

  private final RoutingCacheMetrics metrics;
  private final Tags tags;

  /** Binds {@code metrics} with only the registry's common tags. */
  public RoutingCacheMeters(RoutingCacheMetrics metrics) {
    this(metrics, Tags.empty());
  }

  /** Binds {@code metrics} with extra tags, for a process that runs more than one cache. */
  public RoutingCacheMeters(RoutingCacheMetrics metrics, Iterable<Tag> tags) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.tags = Tags.of(tags);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, LOOKUPS, "Routing-cache lookups (tables and partitions), answered from the cache or not",
        Tags.of(TAG_RESULT, "hit"), RoutingCacheMetrics::hits);
    counter(registry, LOOKUPS, "Routing-cache lookups (tables and partitions), answered from the cache or not",
        Tags.of(TAG_RESULT, "miss"), RoutingCacheMetrics::misses);
    counter(registry, REQUESTS, "Requests to the metadata service: one per lookup and per refresh, sent or dropped at the in-flight bound",
        Tags.of(TAG_OUTCOME, "sent"), RoutingCacheMetrics::asyncLookupsSent);
    counter(registry, REQUESTS, "Requests to the metadata service: one per lookup and per refresh, sent or dropped at the in-flight bound",
        Tags.of(TAG_OUTCOME, "dropped"), RoutingCacheMetrics::asyncLookupsDropped);
    counter(registry, REQUEST_FAILURES, "Sent metadata requests that failed or timed out",
        Tags.empty(), RoutingCacheMetrics::failures);
    counter(registry, REFRESHES, "Immediate refreshes: invalidations and stale-route reports",
        Tags.empty(), RoutingCacheMetrics::refreshes);
    counter(registry, MISSES_AT_BOUND, "Misses that found the in-flight bound reached: joined a request in flight, or rejected",
        Tags.of(TAG_OUTCOME, "joined"), RoutingCacheMetrics::missesJoined);
    counter(registry, MISSES_AT_BOUND, "Misses that found the in-flight bound reached: joined a request in flight, or rejected",
        Tags.of(TAG_OUTCOME, "rejected"), RoutingCacheMetrics::missesRejected);
    counter(registry, CACHE_UPDATES, "Metadata answers that changed the routing cache",
        Tags.empty(), RoutingCacheMetrics::updatesApplied);
    Gauge.builder(REQUESTS_IN_FLIGHT, metrics, RoutingCacheMetrics::inFlight)
        .description("Metadata requests outstanding now (bounded by inFlightMax)")
        .tags(tags)
        .register(registry);
    Gauge.builder(CACHE_ENTRIES, metrics, RoutingCacheMetrics::entries)
        .description("Tables and partitions in the routing cache now")
        .tags(tags)
        .register(registry);
  }

  private void counter(MeterRegistry registry, String name, String description, Tags own,
      ToDoubleFunction<RoutingCacheMetrics> count) {
    FunctionCounter.builder(name, metrics, count)
        .description(description)
        .tags(tags.and(own))
        .register(registry);
  }
}
