package io.cairn.endpoint.tools;

import io.cairn.endpoint.ActiveRecord;
import io.cairn.endpoint.DecisionLog;
import io.cairn.endpoint.EndpointNames;
import io.cairn.endpoint.EndpointState;
import io.cairn.endpoint.FreezeRecord;
import io.cairn.endpoint.dns.BatchResult;
import io.cairn.endpoint.dns.ChangeBatch;
import io.cairn.endpoint.dns.DnsProvider;
import io.cairn.endpoint.dns.DnsRecord;
import io.cairn.endpoint.dns.EndpointResolver;
import io.cairn.endpoint.plan.PlanVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an operator can do to an endpoint when the automation is what broke: every command reads
 * the zone and writes one compare-and-set batch straight to the DNS provider. No enactor, planner
 * or plan store is needed, and a running enactor cannot be overwritten by accident (it would have
 * to have read the same records).
 */
public final class OperatorCommands {
  private final DnsProvider dns;
  private final EndpointNames names;
  private final DecisionLog log;
  private final String operator;

  public OperatorCommands(DnsProvider dns, EndpointNames names, String operator, DecisionLog log) {
    this.dns = dns;
    this.names = names;
    this.operator = operator;
    this.log = log;
  }

  /** The outcome of a command, worded for a person. */
  public record Outcome(boolean ok, String message) {}

  private EndpointState read() {
    return EndpointState.read(dns.snapshot(), names);
  }

  private Outcome run(EndpointState s, String action, ChangeBatch batch, String what) {
    BatchResult r = dns.apply(batch);
    String result = r.applied() ? "applied" : "rejected";
    String reason = r.applied() ? what : what + ": " + r;
    log.decision("operator", operator, null, s.activeVersion(), null, action, result, reason);
    return new Outcome(r.applied(), r.applied() ? what
        : "nothing changed (the zone moved under you or the state is not what you think): " + r
            + "\nrun 'show' and try again");
  }

  public String show() {
    EndpointState s = read();
    StringBuilder sb = new StringBuilder();
    sb.append("endpoint  ").append(names.endpoint()).append('\n');
    sb.append("root      ").append(s.root().map(DnsRecord::value).orElse("(none)"));
    if (s.root().isPresent() && !s.zone().nameExists(s.root().get().value())) {
      sb.append("   <-- POINTS AT NOTHING: the endpoint resolves to zero addresses");
    }
    sb.append('\n');
    sb.append("_active   ").append(s.activeRecord().map(DnsRecord::value).orElse("(none)")).append('\n');
    sb.append("_lock     ").append(s.lockRecord().map(DnsRecord::value).orElse("(none)")).append('\n');
    sb.append("_freeze   ").append(s.freezeRecord().map(DnsRecord::value).orElse("(not frozen)")).append('\n');
    sb.append("plans in DNS:\n");
    for (PlanVersion v : s.planVersions()) {
      boolean active = v.equals(s.activeVersion());
      sb.append(active ? "  * " : "    ").append(names.planNode(v))
          .append(s.treeExists(v) ? "" : "  (incomplete: no plan node)").append('\n');
      for (DnsRecord w : s.planNodeRecords(v)) {
        sb.append("        ").append(w.key().setId()).append(" weight ").append(w.weight())
            .append(" -> ").append(s.zone().at(w.value()).stream()
                .flatMap(r -> r.values().stream()).toList()).append('\n');
      }
    }
    List<EndpointResolver.WeightedAddress> answer = EndpointResolver.resolve(s.zone(), names.endpoint());
    sb.append("resolves to ").append(answer.size()).append(" address(es): ")
        .append(answer.stream().map(a -> a.address() + " (w " + a.weight() + ")").toList()).append('\n');
    return sb.toString();
  }

  public Outcome freeze(String reason) {
    EndpointState s = read();
    if (s.frozen()) {
      return new Outcome(true, "already frozen: " + s.freezeRecord().get().value());
    }
    return run(s, "freeze", ChangeBatch.builder("freeze by " + operator)
        .create(new FreezeRecord(operator, reason).toRecord(names)).build(),
        "frozen: enactors and cleaners will change nothing until 'unfreeze'");
  }

  public Outcome unfreeze() {
    EndpointState s = read();
    if (!s.frozen()) {
      return new Outcome(true, "not frozen");
    }
    return run(s, "unfreeze", ChangeBatch.builder("unfreeze by " + operator)
        .delete(s.freezeRecord().get()).build(),
        "unfrozen: enactors resume and will move the endpoint to the newest plan");
  }

  /**
   * Points the root and {@code _active} at an older plan whose tree is still in DNS, and freezes
   * in the same batch (unless already frozen), because otherwise the enactors would move forward
   * again at once.
   */
  public Outcome rollback(PlanVersion target) {
    EndpointState s = read();
    if (!s.treeExists(target)) {
      return new Outcome(false, "no tree for " + names.planNode(target) + " in DNS; plans present: "
          + s.planVersions());
    }
    if (s.activeRecord().isEmpty() || s.root().isEmpty()) {
      return new Outcome(false, "no _active or root record; cannot compare-and-set");
    }
    String hash = s.active().map(ActiveRecord::hash).orElse("");
    ChangeBatch.Builder b = ChangeBatch.builder("rollback by " + operator + " to " + target);
    b.swap(s.activeRecord().get(), new ActiveRecord(target, "rollback-from-" + s.activeVersion()
        + "-" + hash.substring(0, Math.min(8, hash.length()))).toRecord(names));
    b.swap(s.root().get(), DnsRecord.alias(names.endpoint(), names.planNode(target)));
    for (DnsRecord r : s.planNodeRecords(target)) {
      b.require(r);
    }
    if (!s.frozen()) {
      b.create(new FreezeRecord(operator, "rollback to " + target.label()).toRecord(names));
    }
    return run(s, "rollback", b.build(), "endpoint now points at " + names.planNode(target)
        + " and is frozen; publish a fixed plan before 'unfreeze'");
  }

  /** Changes weights at the active plan node, e.g. {@code lb-az1-007=0} to drain a router. */
  public Outcome setWeights(Map<String, Integer> weights) {
    EndpointState s = read();
    PlanVersion active = s.activeVersion();
    if (active == null || !s.treeExists(active)) {
      return new Outcome(false, "no active tree to change");
    }
    List<DnsRecord> node = s.planNodeRecords(active);
    ChangeBatch.Builder b = ChangeBatch.builder("set-weights by " + operator);
    b.require(s.activeRecord().get());
    List<String> done = new ArrayList<>();
    long remaining = 0;
    for (DnsRecord r : node) {
      Integer w = weights.get(r.key().setId());
      if (w != null && w != r.weight().intValue()) {
        b.swap(r, DnsRecord.weightedAlias(r.name(), r.key().setId(), w, r.value()));
        done.add(r.key().setId() + " " + r.weight() + "->" + w);
      }
      remaining += w != null ? w : r.weight();
    }
    for (String id : weights.keySet()) {
      if (node.stream().noneMatch(r -> id.equals(r.key().setId()))) {
        return new Outcome(false, "no target " + id + " in " + names.planNode(active));
      }
    }
    if (remaining == 0) {
      return new Outcome(false, "refusing to set every weight to 0");
    }
    if (done.isEmpty()) {
      return new Outcome(true, "weights already as asked");
    }
    return run(s, "set-weights", b.build(), "weights at " + names.planNode(active) + ": " + done);
  }

  public Optional<PlanVersion> activeVersion() {
    return Optional.ofNullable(read().activeVersion());
  }
}
