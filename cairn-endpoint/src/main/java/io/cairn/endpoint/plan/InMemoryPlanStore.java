package io.cairn.endpoint.plan;

import io.cairn.core.Invariants;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** The plan store in memory: tests, simulations and the single-process shape. */
public final class InMemoryPlanStore implements PlanStore {
  private final TreeMap<PlanVersion, Plan> plans = new TreeMap<>();

  @Override
  public synchronized void publish(Plan plan) {
    Invariants.check(
        plans.isEmpty() || plan.version().newerThan(plans.lastKey()),
        "plan %s is not newer than %s",
        plan.version(),
        plans.isEmpty() ? null : plans.lastKey());
    plans.put(plan.version(), plan);
  }

  @Override
  public synchronized Optional<Plan> newest() {
    return plans.isEmpty() ? Optional.empty() : Optional.of(plans.lastEntry().getValue());
  }

  @Override
  public synchronized Optional<Plan> get(PlanVersion version) {
    return Optional.ofNullable(plans.get(version));
  }

  @Override
  public synchronized List<PlanVersion> versions() {
    return List.copyOf(plans.keySet());
  }
}
