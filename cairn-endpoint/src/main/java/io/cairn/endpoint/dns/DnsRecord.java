package io.cairn.endpoint.dns;

import io.cairn.core.Invariants;
import java.util.List;

/**
 * One record set: a key, a TTL, a weight for weighted records, and its values (IPv4 addresses for
 * A, strings for TXT, exactly one target name for ALIAS). Two records are equal only if every field
 * is equal, which is what an exact-match DELETE compares.
 */
public record DnsRecord(RecordKey key, int ttlSeconds, Integer weight, List<String> values) {
  public static final int TTL_SECONDS_MIN = 5;
  public static final int TTL_SECONDS_MAX = 60;
  public static final int WEIGHT_MAX = 255;
  /** One TXT character-string; longer text would need several, which nothing here uses. */
  public static final int TXT_CHARS_MAX = 255;

  public DnsRecord {
    // Values are a set: sorted, so equality (and an exact-match DELETE) ignores their order.
    values = values.stream().sorted().toList();
    Invariants.check(!values.isEmpty(), "record %s has no values", key);
    Invariants.check(
        ttlSeconds >= TTL_SECONDS_MIN && ttlSeconds <= TTL_SECONDS_MAX,
        "record %s ttl %d outside [%d, %d]",
        key,
        ttlSeconds,
        TTL_SECONDS_MIN,
        TTL_SECONDS_MAX);
    Invariants.check(
        (key.setId() == null) == (weight == null), "record %s: weight iff set identifier", key);
    Invariants.check(
        weight == null || (weight >= 0 && weight <= WEIGHT_MAX), "record %s weight %s", key, weight);
    if (key.type() == RecordType.TXT) {
      for (String v : values) {
        Invariants.check(v.length() <= TXT_CHARS_MAX, "TXT %s longer than %d", key, TXT_CHARS_MAX);
      }
    }
    if (key.type() == RecordType.ALIAS) {
      Invariants.check(values.size() == 1, "alias %s must have one target", key);
      values = List.of(DnsNames.normalize(values.get(0)));
    }
  }

  public static DnsRecord a(String name, int ttlSeconds, String... addresses) {
    return new DnsRecord(new RecordKey(name, RecordType.A, null), ttlSeconds, null, List.of(addresses));
  }

  public static DnsRecord txt(String name, int ttlSeconds, String text) {
    return new DnsRecord(new RecordKey(name, RecordType.TXT, null), ttlSeconds, null, List.of(text));
  }

  public static DnsRecord alias(String name, String target) {
    return new DnsRecord(
        new RecordKey(name, RecordType.ALIAS, null), TTL_SECONDS_MIN, null, List.of(target));
  }

  public static DnsRecord weightedAlias(String name, String setId, int weight, String target) {
    return new DnsRecord(
        new RecordKey(name, RecordType.ALIAS, setId), TTL_SECONDS_MIN, weight, List.of(target));
  }

  public String name() {
    return key.name();
  }

  public RecordType type() {
    return key.type();
  }

  /** The single value of a TXT or ALIAS record. */
  public String value() {
    return values.get(0);
  }

  @Override
  public String toString() {
    return key + " ttl=" + ttlSeconds + (weight == null ? "" : " w=" + weight) + " " + values;
  }
}
