package io.cairn.endpoint;

import io.cairn.endpoint.dns.DnsRecord;
import io.cairn.endpoint.dns.RecordType;
import io.cairn.endpoint.dns.ZoneSnapshot;
import io.cairn.endpoint.plan.PlanVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one zone snapshot says about one endpoint: the root alias, {@code _active}, the lock, the
 * freeze switch, and the plan trees present. Read-only; every component decides from one of these.
 */
public final class EndpointState {
  private final EndpointNames names;
  private final ZoneSnapshot zone;
  private final DnsRecord root;
  private final DnsRecord activeRecord;
  private final ActiveRecord active;
  private final DnsRecord lockRecord;
  private final LockRecord lock;
  private final DnsRecord freezeRecord;
  private final TreeMap<PlanVersion, List<DnsRecord>> trees = new TreeMap<>();

  private EndpointState(EndpointNames names, ZoneSnapshot zone) {
    this.names = names;
    this.zone = zone;
    this.root = zone.get(names.endpoint(), RecordType.ALIAS).orElse(null);
    this.activeRecord = zone.get(names.active(), RecordType.TXT).orElse(null);
    this.active = activeRecord == null ? null : ActiveRecord.parse(activeRecord).orElse(null);
    this.lockRecord = zone.get(names.lock(), RecordType.TXT).orElse(null);
    this.lock = lockRecord == null ? null : LockRecord.parse(lockRecord).orElse(null);
    this.freezeRecord = zone.get(names.freeze(), RecordType.TXT).orElse(null);
    for (DnsRecord r : zone.records()) {
      Optional<PlanVersion> v = names.planOf(r.name());
      if (v.isPresent()) {
        trees.computeIfAbsent(v.get(), k -> new ArrayList<>()).add(r);
      }
    }
  }

  public static EndpointState read(ZoneSnapshot zone, EndpointNames names) {
    return new EndpointState(names, zone);
  }

  public EndpointNames names() {
    return names;
  }

  public ZoneSnapshot zone() {
    return zone;
  }

  public Optional<DnsRecord> root() {
    return Optional.ofNullable(root);
  }

  public Optional<DnsRecord> activeRecord() {
    return Optional.ofNullable(activeRecord);
  }

  public Optional<ActiveRecord> active() {
    return Optional.ofNullable(active);
  }

  public PlanVersion activeVersion() {
    return active == null ? null : active.version();
  }

  public Optional<DnsRecord> lockRecord() {
    return Optional.ofNullable(lockRecord);
  }

  public Optional<LockRecord> lock() {
    return Optional.ofNullable(lock);
  }

  public Optional<DnsRecord> freezeRecord() {
    return Optional.ofNullable(freezeRecord);
  }

  public boolean frozen() {
    return freezeRecord != null;
  }

  /** Plan versions that have at least one record in the zone, oldest first. */
  public List<PlanVersion> planVersions() {
    return List.copyOf(trees.keySet());
  }

  /** Every record of the plan's tree (plan node and leaves). */
  public List<DnsRecord> treeRecords(PlanVersion v) {
    return trees.getOrDefault(v, List.of());
  }

  /** The weighted aliases at the plan node. A tree is complete when these exist. */
  public List<DnsRecord> planNodeRecords(PlanVersion v) {
    return zone.at(names.planNode(v), RecordType.ALIAS);
  }

  public boolean treeExists(PlanVersion v) {
    return !planNodeRecords(v).isEmpty();
  }

  /** The plan the root alias points at, if it points at a plan node. */
  public Optional<PlanVersion> rootTarget() {
    return root == null ? Optional.empty() : names.planOf(root.value())
        .filter(v -> names.planNode(v).equals(root.value()));
  }

  /** Names that some alias in the zone points at. The cleaner never deletes these. */
  public List<String> aliasTargets() {
    List<String> out = new ArrayList<>();
    for (DnsRecord r : zone.records()) {
      if (r.type() == RecordType.ALIAS) {
        out.add(r.value());
      }
    }
    return out;
  }
}
