package io.cairn.endpoint;

import io.cairn.endpoint.dns.DnsRecord;

/** The {@code _freeze} TXT record: present means every enactor and cleaner changes nothing. */
public record FreezeRecord(String by, String reason) {
  public static final int TTL_SECONDS = 5;

  public static FreezeRecord auto(String enactor, String reason) {
    return new FreezeRecord("auto-" + enactor, reason);
  }

  /** The TXT text, cut to fit one character-string: the full reason is in the decision log. */
  public DnsRecord toRecord(EndpointNames names) {
    String text = "frozen by=" + by + " reason=" + reason;
    if (text.length() > DnsRecord.TXT_CHARS_MAX) {
      text = text.substring(0, DnsRecord.TXT_CHARS_MAX - 3) + "...";
    }
    return DnsRecord.txt(names.freeze(), TTL_SECONDS, text);
  }
}
