package io.cairn.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.endpoint.dns.EndpointResolver;
import io.cairn.endpoint.plan.PlanVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 2025-10-20 interleaving, replayed step by step. Enactor az1 picks a plan, fails to get the
 * lock and falls behind while az2 applies many newer plans and cleans; az1 then gets the lock and
 * installs its old plan, and az2's cleaner deletes that old plan's tree. Without the guards the
 * endpoint resolves to nothing; with them it never does. The same schedule drives both modes.
 */
class Outage2025ReplayTest {
  private static final int KEEP_PLANS = 3;

  /** What the schedule observed, and a readable transcript of it. */
  record Outcome(List<Integer> addressCounts, List<Long> activeVersions, World world,
      List<String> transcript) {}

  private Outcome replay(Mode mode) {
    DecisionLog.Recording log = new DecisionLog.Recording("dynamodb.local.cairn.internal", 10_000);
    World w = new World(log);
    EnactorConfig cfg = new EnactorConfig(30_000, KEEP_PLANS, mode);
    Enactor az1 = new Enactor("az1", w.names, cfg, log);
    Enactor az2 = new Enactor("az2", w.names, cfg, log);
    List<Integer> counts = new ArrayList<>();
    List<Long> actives = new ArrayList<>();
    List<String> transcript = new ArrayList<>();
    int[] logged = {0};
    Runnable observe = () -> {
      counts.add(w.resolve().size());
      PlanVersion a = w.state().activeVersion();
      actives.add(a == null ? 0 : a.value());
      List<Decision> ds = log.decisions();
      for (Decision d : ds.subList(logged[0], ds.size())) {
        transcript.add(String.format("%-8s %-5s %-7s %-9s plan=%s active=%s fence=%s  %s", d.component(),
            d.enactor() == null ? "-" : d.enactor(), d.action(), d.result(),
            d.plan() == null ? "-" : d.plan().label(),
            d.activeVersion() == null ? "-" : d.activeVersion().label(),
            d.fence() == null ? "-" : d.fence(), d.reason()));
      }
      logged[0] = ds.size();
      transcript.add("=> " + w.names.endpoint() + " resolves to " + counts.getLast()
          + " address(es); _active " + (a == null ? "-" : a.label())
          + "; root -> " + w.state().root().map(r -> r.value()).orElse("-"));
    };

    // Plan 1 goes live normally.
    w.publishNext();
    w.cycle(az2);
    observe.run();

    // Plan 2: az2 takes the lock first; az1 picks plan 2 and finds the lock busy.
    w.publishNext();
    w.runOnce(az2);
    assertThat(az2.phase()).isEqualTo(Enactor.Phase.BUILD);
    w.runOnce(az1);
    assertThat(az1.phase()).isEqualTo(Enactor.Phase.LOCK);
    assertThat(az1.heldPlan().orElseThrow().version()).isEqualTo(PlanVersion.of(2));
    w.cycle(az2);
    observe.run();

    // az1 is delayed (its lock attempts keep failing); az2 applies plans 3..10 and cleans.
    for (int i = 3; i <= 10; i++) {
      w.publishNext();
      w.nowMs += 1_000;
      w.cycle(az2);
      observe.run();
    }

    // Plan 11: az2 flips and releases the lock, but has not cleaned yet.
    w.publishNext();
    w.runUntil(az2, Enactor.Phase.CLEAN);
    observe.run();

    // az1 finally gets the lock and carries on with plan 2, which it has held all along.
    for (int i = 0; i < 10 && !(az1.phase() == Enactor.Phase.START && az1.heldPlan().isEmpty()); i++) {
      w.runOnce(az1);
      observe.run();
    }

    // az2's cleaner runs with the horizon of its own plan 11: one batch.
    assertThat(az2.phase()).isEqualTo(Enactor.Phase.CLEAN);
    w.runOnce(az2);
    observe.run();
    return new Outcome(counts, actives, w, transcript);
  }

  /**
   * Compares the transcript with {@code src/test/testdata/<name>.txt}; {@code -Dcairn.rewrite=true}
   * rewrites the file instead, for review in the diff.
   */
  private static void matchesGolden(String name, List<String> transcript) throws java.io.IOException {
    java.nio.file.Path file = java.nio.file.Path.of(
        System.getProperty("cairn.endpoint.testdata.dir", "src/test/testdata"), name + ".txt");
    String text = String.join("\n", transcript) + "\n";
    if (Boolean.getBoolean("cairn.rewrite")) {
      java.nio.file.Files.createDirectories(file.getParent());
      java.nio.file.Files.writeString(file, text);
    }
    assertThat(text).isEqualTo(java.nio.file.Files.readString(file));
  }

  @Test
  void transcriptsMatchTheGoldenFiles() throws Exception {
    matchesGolden("outage-2025-legacy", replay(Mode.LEGACY_TEST_ONLY).transcript());
    matchesGolden("outage-2025-guarded", replay(Mode.GUARDED).transcript());
  }

  @Test
  void legacyModeResolvesToZeroAddresses() {
    Outcome o = replay(Mode.LEGACY_TEST_ONLY);
    assertThat(o.addressCounts().getLast())
        .as("without the guards the 2025 race empties the endpoint")
        .isZero();
    assertThat(o.activeVersions()).contains(11L);
    assertThat(o.activeVersions().getLast()).as("the active version went backwards").isEqualTo(2L);
    EndpointState s = o.world().state();
    assertThat(s.root().orElseThrow().value()).isEqualTo("p000002.dynamodb.local.cairn.internal");
    assertThat(s.treeExists(PlanVersion.of(2))).isFalse();
  }

  @Test
  void guardedModeNeverResolvesToZeroAddresses() {
    Outcome o = replay(Mode.GUARDED);
    assertThat(o.addressCounts()).allMatch(n -> n > 0);
    List<Long> a = o.activeVersions();
    for (int i = 1; i < a.size(); i++) {
      assertThat(a.get(i)).as("active version at step %d", i).isGreaterThanOrEqualTo(a.get(i - 1));
    }
    assertThat(a.getLast()).isEqualTo(11L);
    List<EndpointResolver.WeightedAddress> answer = o.world().resolve();
    assertThat(answer).extracting(EndpointResolver.WeightedAddress::address)
        .containsExactlyInAnyOrder("127.0.1.1", "127.0.1.2", "127.0.1.3");
    assertThat(o.world().state().frozen()).isFalse();
  }

  @Test
  void guardedModeLogsTheStalePlanAsDropped() {
    DecisionLog.Recording log = new DecisionLog.Recording("dynamodb.local.cairn.internal", 10_000);
    World w = new World(log);
    EnactorConfig cfg = new EnactorConfig(30_000, KEEP_PLANS, Mode.GUARDED);
    Enactor az1 = new Enactor("az1", w.names, cfg, log);
    Enactor az2 = new Enactor("az2", w.names, cfg, log);
    w.publishNext();
    w.runOnce(az1);
    assertThat(az1.phase()).isEqualTo(Enactor.Phase.BUILD);
    // az1 stalls after taking the lock; its lease runs out, and az2 takes over and goes on.
    w.nowMs += 31_000;
    w.publishNext();
    w.cycle(az2);
    assertThat(w.state().activeVersion()).isEqualTo(PlanVersion.of(2));
    // az1 wakes up with plan 1 in hand: it drops it as stale (once), and its release, which
    // carries the lock record it no longer owns, fails as a whole.
    w.runOnce(az1);
    assertThat(log.decisions()).anyMatch(d -> d.enactor().equals("az1") && d.result().equals("rejected"));
    w.cycle(az1);
    List<Decision> dropped = log.decisions().stream()
        .filter(d -> "dropped".equals(d.result()) && "az1".equals(d.enactor())).toList();
    assertThat(dropped).hasSize(1);
    assertThat(dropped.getFirst().plan()).isEqualTo(PlanVersion.of(1));
    assertThat(dropped.getFirst().activeVersion()).isEqualTo(PlanVersion.of(2));
    assertThat(dropped.getFirst().toJson()).contains("\"plan\":\"p000001\"", "\"active_version\":2",
        "\"component\":\"enactor\"", "\"endpoint\":\"dynamodb.local.cairn.internal\"");
    assertThat(w.state().activeVersion()).isEqualTo(PlanVersion.of(2));
  }
}
