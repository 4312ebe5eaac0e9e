package io.cairn.endpoint;

import io.cairn.endpoint.dns.BatchResult;
import io.cairn.endpoint.dns.DnsProvider;
import io.cairn.endpoint.dns.EndpointResolver;
import io.cairn.endpoint.dns.InMemoryZone;
import io.cairn.endpoint.plan.InMemoryPlanStore;
import io.cairn.endpoint.plan.Plan;
import io.cairn.endpoint.plan.PlanVersion;
import io.cairn.endpoint.plan.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * A zone, a plan store and a manual clock: the world the replay and the simulations drive enactors
 * in, one step at a time. Test code, kept as plain as production code.
 */
final class World {
  final EndpointNames names = EndpointNames.defaults();
  final DnsProvider zone;
  final InMemoryPlanStore plans = new InMemoryPlanStore();
  final DecisionLog log;
  long nowMs = 1_000_000;

  World(DecisionLog log) {
    this(new InMemoryZone("cairn.internal"), log);
  }

  World(DnsProvider zone, DecisionLog log) {
    this.zone = zone;
    this.log = log;
  }

  EndpointState state() {
    return EndpointState.read(zone.snapshot(), names);
  }

  /** Publishes the next plan: three routers whose weights vary with the version. */
  Plan publishNext() {
    long v = plans.newest().map(p -> p.version().value() + 1).orElse(1L);
    List<Target> targets = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      targets.add(new Target(Target.idFor("az" + i, i), "az" + i,
          List.of("127.0.1." + i), 1 + (int) ((v + i) % 5)));
    }
    Plan p = Plan.of(PlanVersion.of(v), targets);
    plans.publish(p);
    return p;
  }

  /** One decide-and-apply of an enactor; returns the step it took. */
  Step runOnce(Enactor e) {
    EndpointState s = state();
    Step step = e.decide(s, plans.newest(), nowMs);
    if (step instanceof Step.Apply a) {
      BatchResult r = zone.apply(a.batch());
      e.onResult(r, s);
    }
    return step;
  }

  /** Runs an enactor until it is back at START with nothing to do, or until it stops changing. */
  void cycle(Enactor e) {
    for (int i = 0; i < 20; i++) {
      Step step = runOnce(e);
      if (step instanceof Step.Idle && e.phase() == Enactor.Phase.START) {
        return;
      }
      if (step instanceof Step.Idle idle && idle.reason().equals("lock busy")) {
        return;
      }
    }
  }

  /** Runs until the enactor reaches {@code phase}. */
  void runUntil(Enactor e, Enactor.Phase phase) {
    for (int i = 0; i < 20 && e.phase() != phase; i++) {
      runOnce(e);
    }
    org.assertj.core.api.Assertions.assertThat(e.phase()).isEqualTo(phase);
  }

  List<EndpointResolver.WeightedAddress> resolve() {
    return EndpointResolver.resolve(zone.snapshot(), names.endpoint());
  }
}
