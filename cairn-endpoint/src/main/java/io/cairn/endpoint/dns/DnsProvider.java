package io.cairn.endpoint.dns;

/**
 * The DNS control API every provider implements: an all-or-nothing change batch and a consistent
 * read of the whole zone. Implementations: {@link InMemoryZone} (served by Cairn's own DNS server)
 * and the RFC 2136 provider that drives a real BIND 9.
 */
public interface DnsProvider {
  /** The zone apex, e.g. {@code cairn.internal}. */
  String zone();

  BatchResult apply(ChangeBatch batch);

  ZoneSnapshot snapshot();
}
