package io.cairn.endpoint.dns;

import java.util.List;
import java.util.TreeMap;

/**
 * The in-memory provider: Route 53's change-batch semantics over a sorted map, guarded by one
 * monitor so a batch is atomic with respect to every reader. Cairn's DNS server serves from it.
 */
public final class InMemoryZone implements DnsProvider {
  private final String zone;
  private TreeMap<RecordKey, DnsRecord> records = new TreeMap<>();
  private long serial = 1;
  private volatile ZoneSnapshot lastSnapshot;

  public InMemoryZone(String zone) {
    this.zone = DnsNames.normalize(zone);
    this.lastSnapshot = new ZoneSnapshot(this.zone, serial, records);
  }

  @Override
  public String zone() {
    return zone;
  }

  @Override
  public synchronized BatchResult apply(ChangeBatch batch) {
    TreeMap<RecordKey, DnsRecord> next = new TreeMap<>(records);
    List<Change> changes = batch.changes();
    for (int i = 0; i < changes.size(); i++) {
      Change c = changes.get(i);
      DnsRecord r = c.record();
      if (!DnsNames.isInZone(r.name(), zone)) {
        return new BatchResult.Rejected(BatchResult.Reason.INVALID, i, r.name() + " not in " + zone);
      }
      if (r.type() == RecordType.ALIAS && !DnsNames.isInZone(r.value(), zone)) {
        return new BatchResult.Rejected(BatchResult.Reason.INVALID, i, "alias target outside zone");
      }
      switch (c.action()) {
        case CREATE -> {
          if (next.containsKey(r.key())) {
            return new BatchResult.Rejected(BatchResult.Reason.ALREADY_EXISTS, i, c.toString());
          }
          next.put(r.key(), r);
        }
        case DELETE -> {
          if (!r.equals(next.get(r.key()))) {
            return new BatchResult.Rejected(
                BatchResult.Reason.NOT_FOUND_OR_DIFFERENT, i, c + " found " + next.get(r.key()));
          }
          next.remove(r.key());
        }
        case UPSERT -> next.put(r.key(), r);
      }
    }
    records = next;
    serial++;
    lastSnapshot = new ZoneSnapshot(zone, serial, records);
    return new BatchResult.Applied(serial);
  }

  @Override
  public ZoneSnapshot snapshot() {
    return lastSnapshot;
  }
}
