package io.cairn.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.endpoint.dns.ChangeBatch;
import io.cairn.endpoint.plan.Plan;
import io.cairn.endpoint.plan.PlanVersion;
import io.cairn.endpoint.plan.Target;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The limits agree with each other, and the biggest plan allowed really goes live. */
class EndpointLimitsTest {
  @Test
  void limitsAreConsistent() {
    EndpointLimits.check();
    assertThat(EndpointLimits.FLIP_CHANGES_MAX).isLessThanOrEqualTo(ChangeBatch.CHANGES_MAX);
  }

  @Test
  void theLargestPlanBuildsFlipsAndIsCleaned() {
    DecisionLog log = DecisionLog.discard("dynamodb.local.cairn.internal");
    World w = new World(log);
    Enactor az1 = new Enactor("az1", w.names, new EnactorConfig(30_000, 1, Mode.GUARDED), log);
    for (int v = 1; v <= 3; v++) {
      List<Target> targets = new ArrayList<>();
      for (int i = 0; i < Plan.TARGETS_MAX; i++) {
        targets.add(new Target(Target.idFor("az" + (i % 3 + 1), i), "az" + (i % 3 + 1),
            List.of("127.2." + (i / 250) + "." + (i % 250)), v));
      }
      w.plans.publish(Plan.of(PlanVersion.of(v), targets));
      w.cycle(az1);
      assertThat(w.state().activeVersion()).isEqualTo(PlanVersion.of(v));
      assertThat(w.resolve()).hasSize(Plan.TARGETS_MAX);
    }
    assertThat(w.state().planVersions()).containsExactly(PlanVersion.of(3));
  }
}
