package io.cairn.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.endpoint.dns.ChangeBatch;
import io.cairn.endpoint.dns.DnsRecord;
import io.cairn.endpoint.plan.PlanVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Freeze by an operator and freeze on impossible states: nothing changes, FROZEN every cycle. */
class FreezeTest {
  private final DecisionLog.Recording log =
      new DecisionLog.Recording("dynamodb.local.cairn.internal", 10_000);
  private final World w = new World(log);
  private final EnactorConfig cfg = new EnactorConfig(30_000, 2, Mode.GUARDED);
  private final Enactor az1 = new Enactor("az1", w.names, cfg, log);

  private void live(int plans) {
    for (int i = 0; i < plans; i++) {
      w.publishNext();
      w.cycle(az1);
    }
    assertThat(w.state().activeVersion()).isEqualTo(PlanVersion.of(plans));
  }

  private long frozenLines() {
    return log.decisions().stream().filter(d -> "FROZEN".equals(d.result())).count();
  }

  @Test
  void operatorFreezeStopsEveryEnactorAndCleanerAndTheyLogFrozenEachCycle() {
    live(2);
    FreezeRecord f = new FreezeRecord("alice", "investigating");
    assertThat(w.zone.apply(ChangeBatch.builder("freeze").create(f.toRecord(w.names)).build()).applied())
        .isTrue();
    w.publishNext();
    long serial = w.zone.snapshot().serial();
    Enactor az2 = new Enactor("az2", w.names, cfg, log);
    Cleaner cleaner = new Cleaner("cleaner-1", w.names, 1, Mode.GUARDED, log);
    for (int cycle = 0; cycle < 5; cycle++) {
      assertThat(w.runOnce(az1)).isInstanceOf(Step.Idle.class);
      assertThat(w.runOnce(az2)).isInstanceOf(Step.Idle.class);
      assertThat(cleaner.decide(w.state(), null)).isEmpty();
    }
    assertThat(w.zone.snapshot().serial()).as("nothing was written while frozen").isEqualTo(serial);
    assertThat(frozenLines()).isEqualTo(15);
    assertThat(log.decisions().getLast().toJson()).contains("\"result\":\"FROZEN\"");

    assertThat(w.zone.apply(ChangeBatch.builder("unfreeze").delete(f.toRecord(w.names)).build())
        .applied()).isTrue();
    w.cycle(az1);
    assertThat(w.state().activeVersion()).isEqualTo(PlanVersion.of(3));
  }

  @Test
  void rootPointingNowhereFreezesAutomatically() {
    live(2);
    // Someone deletes the active tree by hand: the 2025 state.
    ChangeBatch.Builder b = ChangeBatch.builder("vandal");
    w.state().treeRecords(PlanVersion.of(2)).forEach(b::delete);
    assertThat(w.zone.apply(b.build()).applied()).isTrue();
    assertThat(w.resolve()).isEmpty();
    w.runOnce(az1);
    assertThat(w.state().frozen()).isTrue();
    assertThat(w.state().freezeRecord().orElseThrow().value())
        .contains("auto-az1", "points at p000002.dynamodb.local.cairn.internal which does not exist");
    w.publishNext();
    w.runOnce(az1);
    assertThat(log.decisions().getLast().result()).isEqualTo("FROZEN");
  }

  @Test
  void activeAheadOfTheNewestPlanFreezesAutomatically() {
    live(1);
    DnsRecord active = w.state().activeRecord().orElseThrow();
    w.zone.apply(ChangeBatch.builder("bad").swap(active,
        new ActiveRecord(PlanVersion.of(9), "x").toRecord(w.names))
        .build());
    w.runOnce(az1);
    assertThat(w.state().freezeRecord().orElseThrow().value()).contains("ahead of the newest plan");
  }

  @Test
  void fenceGoingBackwardsFreezesAutomatically() {
    live(2);
    LockRecord lock = w.state().lock().orElseThrow();
    assertThat(lock.fence()).isEqualTo(2);
    w.runOnce(az1);
    w.zone.apply(ChangeBatch.builder("bad").swap(w.state().lockRecord().orElseThrow(),
        new LockRecord(LockRecord.NONE, 1, 0).toRecord(w.names)).build());
    w.runOnce(az1);
    assertThat(w.state().freezeRecord().orElseThrow().value()).contains("fence went backwards from 2 to 1");
  }

  @Test
  void everyDecisionLineNamesTheEndpointAndThePlanByReadableNames() {
    live(1);
    List<Decision> ds = log.decisions();
    assertThat(ds).isNotEmpty().allMatch(d -> d.endpoint().equals("dynamodb.local.cairn.internal"));
    assertThat(ds).anyMatch(d -> d.action().equals("flip") && d.result().equals("applied")
        && d.plan().equals(PlanVersion.of(1)) && d.fence() == 1L);
    assertThat(ds.stream().map(Decision::toJson)).allMatch(j -> j.startsWith("{\"component\":"));
  }
}
