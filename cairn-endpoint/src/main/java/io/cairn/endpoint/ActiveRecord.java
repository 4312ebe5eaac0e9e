package io.cairn.endpoint;

import io.cairn.endpoint.dns.DnsRecord;
import io.cairn.endpoint.plan.Plan;
import io.cairn.endpoint.plan.PlanVersion;
import java.util.Map;
import java.util.Optional;

/** The {@code _active} TXT record: which plan the root points at, by version and hash. */
public record ActiveRecord(PlanVersion version, String hash) {
  public static final int TTL_SECONDS = 5;

  public static ActiveRecord of(Plan plan) {
    return new ActiveRecord(plan.version(), plan.hash());
  }

  public DnsRecord toRecord(EndpointNames names) {
    return DnsRecord.txt(names.active(), TTL_SECONDS,
        "version=" + version.value() + " hash=" + hash);
  }

  public static Optional<ActiveRecord> parse(DnsRecord r) {
    Map<String, String> kv = Txt.parse(r.value());
    try {
      return Optional.of(new ActiveRecord(PlanVersion.of(Long.parseLong(kv.get("version"))),
          kv.getOrDefault("hash", "")));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
