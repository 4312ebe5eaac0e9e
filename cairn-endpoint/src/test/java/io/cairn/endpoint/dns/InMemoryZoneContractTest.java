package io.cairn.endpoint.dns;

import org.junit.jupiter.api.BeforeEach;

class InMemoryZoneContractTest extends DnsProviderContract {
  private InMemoryZone zone;

  @BeforeEach
  void zone() {
    zone = new InMemoryZone("cairn.internal");
  }

  @Override
  DnsProvider provider() {
    return zone;
  }
}
