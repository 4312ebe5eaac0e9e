package io.cairn.endpoint;

import io.cairn.endpoint.dns.ChangeBatch;
import io.cairn.endpoint.dns.DnsRecord;
import io.cairn.endpoint.plan.PlanVersion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes old plan trees. Guarded, it reads the active version from the snapshot and pins it inside
 * the same batch (delete-and-recreate of {@code _active} exactly as read), so if a flip lands between
 * its read and its write the whole batch fails. It keeps the newest {@code keepPlans} plans at or
 * below the active one, and never deletes the active tree, anything an alias points at, or anything
 * newer than the active plan. It needs no lock.
 */
public final class Cleaner {
  public static final int DELETES_PER_BATCH_MAX = 400;

  private final String who;
  private final EndpointNames names;
  private final int keepPlans;
  private final Mode mode;
  private final DecisionLog log;

  public Cleaner(String who, EndpointNames names, int keepPlans, Mode mode, DecisionLog log) {
    io.cairn.core.Invariants.check(keepPlans >= 1, "keepPlans %d < 1", keepPlans);
    this.who = who;
    this.names = names;
    this.keepPlans = keepPlans;
    this.mode = mode;
    this.log = log;
  }

  /**
   * The batch to run, or empty when there is nothing to delete. {@code ownPlan} is only used in
   * legacy mode, where (as in 2025) the horizon came from the cleaner's own newest plan.
   */
  public Optional<ChangeBatch> decide(EndpointState s, PlanVersion ownPlan) {
    PlanVersion active = s.activeVersion();
    if (s.frozen()) {
      log.decision("cleaner", who, ownPlan, active, null, "clean", "FROZEN",
          "freeze record present: " + s.freezeRecord().get().value());
      return Optional.empty();
    }
    List<PlanVersion> victims = new ArrayList<>();
    switch (mode) {
      case GUARDED -> {
        if (active == null || s.activeRecord().isEmpty()) {
          return Optional.empty();
        }
        Set<String> protectedNames = new HashSet<>(s.aliasTargets());
        List<PlanVersion> atOrBelow =
            s.planVersions().stream().filter(v -> v.compareTo(active) <= 0).toList();
        int keepFrom = Math.max(0, atOrBelow.size() - keepPlans);
        for (PlanVersion v : atOrBelow.subList(0, keepFrom)) {
          if (v.equals(active) || protectedNames.contains(names.planNode(v))) {
            continue;
          }
          victims.add(v);
        }
      }
      case LEGACY_TEST_ONLY -> {
        if (ownPlan == null) {
          return Optional.empty();
        }
        long horizon = ownPlan.value() - keepPlans;
        for (PlanVersion v : s.planVersions()) {
          if (v.value() <= horizon) {
            victims.add(v);
          }
        }
      }
    }
    if (victims.isEmpty()) {
      return Optional.empty();
    }
    ChangeBatch.Builder b = ChangeBatch.builder("cleaner " + who + " active " + active);
    if (mode == Mode.GUARDED) {
      b.require(s.activeRecord().get());
    }
    int deletes = 0;
    List<PlanVersion> taken = new ArrayList<>();
    for (PlanVersion v : victims) {
      List<DnsRecord> recs = s.treeRecords(v);
      if (deletes + recs.size() > DELETES_PER_BATCH_MAX && deletes > 0) {
        break;
      }
      for (DnsRecord r : recs) {
        b.delete(r);
      }
      deletes += recs.size();
      taken.add(v);
    }
    log.decision("cleaner", who, ownPlan, active, null, "clean", "proposed",
        "delete trees " + taken + " keeping " + keepPlans);
    return Optional.of(b.build());
  }
}
