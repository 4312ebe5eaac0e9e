package io.cairn.endpoint;

import io.cairn.endpoint.dns.DnsRecord;

/** The {@code _freeze} TXT record: present means every enactor and cleaner changes nothing. */
public record FreezeRecord(String by, String reason) {
  public static final int TTL_SECONDS = 5;

  public static FreezeRecord auto(String enactor, String reason) {
    return new FreezeRecord("auto-" + enactor, reason);
  }

  public DnsRecord toRecord(EndpointNames names) {
    return DnsRecord.txt(names.freeze(), TTL_SECONDS, "frozen by=" + by + " reason=" + reason);
  }
}
