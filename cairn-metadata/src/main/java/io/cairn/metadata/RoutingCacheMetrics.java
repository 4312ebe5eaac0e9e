package io.cairn.metadata;

/**
 * Counters and gauges of a {@link RoutingCache}. The constant-work property is visible here:
 * {@code asyncLookupsSent + asyncLookupsDropped == lookups + refreshes} whatever the hit rate, and
 * {@code asyncLookupsSent} is what the metadata service sees from this router.
 *
 * <p>{@link RoutingCacheMeters} exports them to Micrometer under the names in docs/metrics.md.
 */
public interface RoutingCacheMetrics {
  /** Lookups asked of the cache (tables and partitions). */
  long lookups();

  long hits();

  long misses();

  /** Requests sent to the metadata service: one per lookup, hit or miss, plus one per refresh. */
  long asyncLookupsSent();

  /** Requests not sent because {@code inFlightMax} requests were outstanding (the newest is dropped). */
  long asyncLookupsDropped();

  /** Misses that found the bound reached and no request in flight for their key: failed fast. */
  long missesRejected();

  /** Misses that found the bound reached and joined the request in flight for their key. */
  long missesJoined();

  /** Immediate refreshes asked by {@code invalidate} or a NotLeader/wrong-partition report. */
  long refreshes();

  /** Answers that changed the cache. */
  long updatesApplied();

  /** Requests that failed or timed out. */
  long failures();

  /** Requests outstanding now (gauge). */
  int inFlight();

  /** Entries cached now (gauge). */
  int entries();
}
