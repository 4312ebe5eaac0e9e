package io.cairn.metadata;

/**
 * Limits of a {@link RoutingCache}.
 *
 * @param inFlightMax requests to the metadata service outstanding at once, from this router; above
 *     it the newest request is dropped (counted), never queued and never blocking
 * @param missTimeoutMs how long a miss waits for the service's answer
 */
public record RoutingCacheOptions(int inFlightMax, long missTimeoutMs) {
  public RoutingCacheOptions {
    if (inFlightMax < 1) {
      throw new IllegalArgumentException("inFlightMax must be positive: " + inFlightMax);
    }
    if (missTimeoutMs < 1) {
      throw new IllegalArgumentException("missTimeoutMs must be positive: " + missTimeoutMs);
    }
  }

  public static RoutingCacheOptions defaults() {
    return new RoutingCacheOptions(1024, 2000);
  }
}
