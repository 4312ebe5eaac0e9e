package io.cairn.endpoint;

import io.cairn.endpoint.dns.DnsRecord;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code _lock} TXT record. It is never deleted, only swapped by compare-and-set, so the fence
 * number survives releases and only ever grows. {@code holder=none} means free.
 */
public record LockRecord(String holder, long fence, long expiresMs) {
  public static final String NONE = "none";
  public static final int TTL_SECONDS = 5;

  public boolean isFree() {
    return NONE.equals(holder);
  }

  public boolean heldBy(String enactor) {
    return holder.equals(enactor);
  }

  public boolean expired(long nowMs) {
    return nowMs >= expiresMs;
  }

  public DnsRecord toRecord(EndpointNames names) {
    return DnsRecord.txt(names.lock(), TTL_SECONDS,
        "holder=" + holder + " fence=" + fence + " expires_ms=" + expiresMs);
  }

  public static Optional<LockRecord> parse(DnsRecord r) {
    Map<String, String> kv = Txt.parse(r.value());
    try {
      return Optional.of(new LockRecord(kv.get("holder"), Long.parseLong(kv.get("fence")),
          Long.parseLong(kv.get("expires_ms"))));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
