package io.cairn.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the seeded simulation over many seeds; a failure prints its seed for replay. */
class AdminSimulationTest {
  /** -Dcairn.admin.seeds=N and -Dcairn.admin.firstSeed=S run a longer sweep. */
  private static final int SEEDS = Integer.getInteger("cairn.admin.seeds", 1_000);

  private static final long FIRST_SEED = Long.getLong("cairn.admin.firstSeed", 1);

  /** Set with -Dcairn.admin.seed=N to replay one seed (the failure message names it). */
  private static final Long REPLAY = Long.getLong("cairn.admin.seed");

  @Test
  void invariantsHoldForAThousandSeeds() {
    // Seeds 1..1,000 by default; the seed of a failure is printed for replay.
    long start = System.nanoTime();
    long cpuStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long firstSeed = REPLAY != null ? REPLAY : FIRST_SEED;
    int seeds = REPLAY != null ? 1 : SEEDS;
    long events = 0;
    long repairs = 0;
    long failures = 0;
    for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
      try {
        AdminSimulation.Result r = AdminSimulation.run(seed);
        events += r.events();
        repairs += r.repairsStarted();
        failures += r.nodeFailures();
      } catch (AdminSimulation.Failure f) {
        System.out.println(f.getMessage());
        throw new AssertionError("seed " + f.seed + " failed; replay with -Dcairn.admin.seed="
            + f.seed, f);
      }
    }
    long cpuMs = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
        - cpuStart) / 1_000_000;
    System.out.printf("%d seeds (first %d), %d events, %d node failures, %d repairs started, "
        + "%d ms wall, %d ms CPU%n", seeds, firstSeed, events, failures, repairs,
        (System.nanoTime() - start) / 1_000_000, cpuMs);
    assertThat(repairs).as("the simulation must actually exercise repair").isGreaterThan(0);
  }

  @Test
  void aSeedReplaysExactly() {
    for (long seed : new long[] {3, 17, 4242}) {
      assertThat(AdminSimulation.run(seed)).isEqualTo(AdminSimulation.run(seed));
    }
  }

  /**
   * An admin with a deliberate bug (it removes the dead replica in the same breath as it adds the
   * replacement) must be caught, and its failing seed must fail again identically on replay.
   */
  @Test
  void aBuggyAdminIsCaughtAndItsFailingSeedReplays() {
    AdminSimulation.Failure first = null;
    for (long seed = 1; seed <= 200 && first == null; seed++) {
      long s = seed;
      first = catchThrowableOfType(AdminSimulation.Failure.class, () -> buggyFor(s).run());
    }
    assertThat(first).as("the buggy admin must fail some seed").isNotNull();
    long failing = first.seed;
    AdminSimulation.Failure again = catchThrowableOfType(AdminSimulation.Failure.class,
        () -> buggyFor(failing).run());
    System.out.println(first.getMessage());
    assertThat(again).isNotNull();
    assertThat(again.getMessage()).isEqualTo(first.getMessage()).contains("seed=" + failing);
  }

  private static AdminSimulation buggyFor(long seed) {
    AdminSimulation.Config c = AdminSimulation.Config.forSeed(seed);
    AutoAdmin admin = new AutoAdmin(c.admin());
    return new AdminSimulation(seed, c, (view, now) -> {
      List<Decision> out = new ArrayList<>();
      for (Decision d : admin.decide(view, now)) {
        out.add(d);
        if (d instanceof Decision.AddReplica add) {
          out.add(new Decision.RemoveReplica(add.partition(), add.replacing(), add.target()));
        }
      }
      return out;
    });
  }
}
