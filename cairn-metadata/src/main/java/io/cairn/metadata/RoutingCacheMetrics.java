package io.cairn.metadata;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counters and gauges of a {@link RoutingCache}. The constant-work property is visible here:
 * {@code asyncLookupsSent + asyncLookupsDropped == lookups + refreshes} whatever the hit rate, and
 * {@code asyncLookupsSent} is what the metadata service sees from this router.
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

  /** Every metric by its exported name, e.g. for registering Micrometer gauges. */
  default Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("cairn.routing.lookups", lookups());
    m.put("cairn.routing.hits", hits());
    m.put("cairn.routing.misses", misses());
    m.put("cairn.routing.async.sent", asyncLookupsSent());
    m.put("cairn.routing.async.dropped", asyncLookupsDropped());
    m.put("cairn.routing.misses.rejected", missesRejected());
    m.put("cairn.routing.misses.joined", missesJoined());
    m.put("cairn.routing.refreshes", refreshes());
    m.put("cairn.routing.updates", updatesApplied());
    m.put("cairn.routing.failures", failures());
    m.put("cairn.routing.inflight", (long) inFlight());
    m.put("cairn.routing.entries", (long) entries());
    return m;
  }
}
