package io.cairn.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.endpoint.dns.ChangeBatch;
import io.cairn.endpoint.plan.PlanVersion;
import org.junit.jupiter.api.Test;

/** Alarms fire on state: nothing on a healthy endpoint, one named cause when it is broken. */
class AlarmsTest {
  private final DecisionLog log = DecisionLog.discard("dynamodb.local.cairn.internal");
  private final World w = new World(log);
  private final Enactor az1 = new Enactor("az1", w.names, new EnactorConfig(30_000, 2, Mode.GUARDED), log);

  @Test
  void healthyEndpointRaisesNothing() {
    w.publishNext();
    w.cycle(az1);
    assertThat(Alarms.evaluate(w.state(), w.plans.newest())).isEmpty();
  }

  @Test
  void emptyEndpointNamesTheMissingTree() {
    w.publishNext();
    w.cycle(az1);
    ChangeBatch.Builder b = ChangeBatch.builder("vandal");
    w.state().treeRecords(PlanVersion.of(1)).forEach(b::delete);
    w.zone.apply(b.build());
    assertThat(Alarms.evaluate(w.state(), w.plans.newest()))
        .extracting(Alarms.Alarm::name, Alarms.Alarm::message)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("EndpointResolvesToNothing",
            "dynamodb.local.cairn.internal resolves to zero addresses: the root points at "
                + "p000001.dynamodb.local.cairn.internal which does not exist. Run 'cairn endpoint show'."));
  }

  @Test
  void activePlanFallingBehindAlarmsOnceItIsMoreThanThreeBehind() {
    w.publishNext();
    w.cycle(az1);
    for (int i = 0; i < Alarms.PLANS_BEHIND_MAX; i++) {
      w.publishNext();
    }
    assertThat(Alarms.evaluate(w.state(), w.plans.newest())).isEmpty();
    w.publishNext();
    assertThat(Alarms.evaluate(w.state(), w.plans.newest())).extracting(Alarms.Alarm::name)
        .containsExactly("ActivePlanBehind");
  }
}
