package io.cairn.endpoint.dns;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/** An immutable copy of a zone's records at one serial. */
public final class ZoneSnapshot {
  private final String zone;
  private final long serial;
  private final NavigableMap<RecordKey, DnsRecord> records;

  public ZoneSnapshot(String zone, long serial, Map<RecordKey, DnsRecord> records) {
    this.zone = DnsNames.normalize(zone);
    this.serial = serial;
    this.records = Collections.unmodifiableNavigableMap(new TreeMap<>(records));
  }

  public static ZoneSnapshot of(String zone, long serial, List<DnsRecord> records) {
    TreeMap<RecordKey, DnsRecord> m = new TreeMap<>();
    for (DnsRecord r : records) {
      m.put(r.key(), r);
    }
    return new ZoneSnapshot(zone, serial, m);
  }

  public String zone() {
    return zone;
  }

  public long serial() {
    return serial;
  }

  public Optional<DnsRecord> get(RecordKey key) {
    return Optional.ofNullable(records.get(key));
  }

  public Optional<DnsRecord> get(String name, RecordType type) {
    return get(new RecordKey(name, type, null));
  }

  /** Every record set at {@code name}, of any type and set identifier. */
  public List<DnsRecord> at(String name) {
    String n = DnsNames.normalize(name);
    List<DnsRecord> out = new ArrayList<>();
    for (DnsRecord r : records.subMap(new RecordKey(n, RecordType.A, ""), true,
        new RecordKey(n + "\0", RecordType.A, ""), false).values()) {
      if (r.name().equals(n)) {
        out.add(r);
      }
    }
    return out;
  }

  public List<DnsRecord> at(String name, RecordType type) {
    List<DnsRecord> out = new ArrayList<>();
    for (DnsRecord r : at(name)) {
      if (r.type() == type) {
        out.add(r);
      }
    }
    return out;
  }

  public boolean nameExists(String name) {
    return !at(name).isEmpty();
  }

  public java.util.Collection<DnsRecord> records() {
    return records.values();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("zone " + zone + " serial " + serial + "\n");
    for (DnsRecord r : records.values()) {
      sb.append("  ").append(r).append('\n');
    }
    return sb.toString();
  }
}
