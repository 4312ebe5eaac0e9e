package io.cairn.endpoint.plan;

import io.cairn.endpoint.DecisionLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the router fleet's health and capacity into plans. Pure: fleet in, plan (or nothing) out;
 * the caller publishes. It never touches DNS, and it refuses to produce a plan with no healthy
 * router, because such a plan would be an outage written down.
 */
public final class Planner {
  private final DecisionLog log;

  public Planner(DecisionLog log) {
    this.log = log;
  }

  /**
   * Returns a new plan when the healthy fleet differs from {@code previous}; empty when nothing
   * changed or no router is healthy.
   */
  public Optional<Plan> plan(List<RouterStatus> fleet, Optional<Plan> previous) {
    List<Target> targets = new ArrayList<>();
    for (RouterStatus r : fleet) {
      if (r.healthy() && r.capacity() > 0) {
        targets.add(new Target(r.id(), r.az(), List.of(r.address()), Math.min(255, r.capacity())));
      }
    }
    PlanVersion prevVersion = previous.map(Plan::version).orElse(null);
    if (targets.isEmpty()) {
      log.decision("planner", null, prevVersion, null, null, "plan", "refused",
          "no healthy router in a fleet of " + fleet.size());
      return Optional.empty();
    }
    String hash = Plan.hashOf(targets);
    if (previous.isPresent() && previous.get().hash().equals(hash)) {
      return Optional.empty();
    }
    PlanVersion v = prevVersion == null ? PlanVersion.of(1) : prevVersion.next();
    Plan plan = Plan.of(v, targets);
    log.decision("planner", null, v, null, null, "plan", "published",
        targets.size() + " targets hash " + hash);
    return Optional.of(plan);
  }
}
