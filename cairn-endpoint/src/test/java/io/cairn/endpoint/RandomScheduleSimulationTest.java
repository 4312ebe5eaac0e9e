package io.cairn.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Seeded random schedules of the whole protocol. Each run draws a fresh base seed (printed); a
 * failure names the schedule's seed, and {@code -Dcairn.sim.seed=N} replays exactly that schedule
 * with its decision log printed ({@code -Dcairn.sim.mode=legacy} for a legacy-mode seed).
 */
class RandomScheduleSimulationTest {
  static final int SCHEDULES = Integer.getInteger("cairn.sim.schedules", 10_000);
  static final int EVENTS_PER_SCHEDULE = 150;

  @Test
  void guardedProtocolKeepsTheEndpointUpUnderRandomSchedules() {
    Long replay = Long.getLong("cairn.sim.seed");
    if (replay != null) {
      DecisionLog.Recording log = new DecisionLog.Recording("dynamodb.local.cairn.internal", 2_000);
      try {
        Mode mode = "legacy".equals(System.getProperty("cairn.sim.mode"))
            ? Mode.LEGACY_TEST_ONLY : Mode.GUARDED;
        new Simulation(replay, mode, log).run(EVENTS_PER_SCHEDULE);
      } finally {
        log.decisions().forEach(d -> System.out.println(d.toJson()));
      }
      return;
    }
    long base = System.nanoTime();
    System.out.println("random schedules: base seed " + base + ", " + SCHEDULES + " schedules");
    long started = System.nanoTime();
    long flips = 0;
    long crashes = 0;
    long rejected = 0;
    long rollbacks = 0;
    DecisionLog log = DecisionLog.discard("dynamodb.local.cairn.internal");
    for (int i = 0; i < SCHEDULES; i++) {
      long seed = base + i;
      Simulation sim = new Simulation(seed, Mode.GUARDED, log);
      sim.run(EVENTS_PER_SCHEDULE);
      flips += sim.flips;
      crashes += sim.crashes;
      rejected += sim.rejected;
      rollbacks += sim.rollbacks;
    }
    long ms = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("%d schedules x %d events in %d ms: %d flips, %d crashes, %d rejected batches,"
        + " %d operator rollbacks%n", SCHEDULES, EVENTS_PER_SCHEDULE, ms, flips, crashes, rejected,
        rollbacks);
    assertThat(flips).as("the schedules exercise flips").isGreaterThan(SCHEDULES);
    assertThat(crashes).isGreaterThan(SCHEDULES);
    assertThat(rollbacks).as("operators roll back in some schedules").isGreaterThan(SCHEDULES / 10);
    assertThat(rejected).as("the schedules exercise the compare-and-sets").isGreaterThan(0);
  }

  @Test
  void legacyProtocolFailsUnderRandomSchedules() {
    long base = 20251020L;
    int schedules = 600;
    int failures = 0;
    int empty = 0;
    DecisionLog log = DecisionLog.discard("dynamodb.local.cairn.internal");
    String first = null;
    for (int i = 0; i < schedules; i++) {
      try {
        new Simulation(base + i, Mode.LEGACY_TEST_ONLY, log).run(EVENTS_PER_SCHEDULE);
      } catch (Simulation.Violation v) {
        failures++;
        empty += v.getMessage().contains("zero addresses") ? 1 : 0;
        if (first == null) {
          first = v.getMessage().lines().findFirst().orElse("");
        }
      }
    }
    System.out.println("legacy: " + failures + " of " + schedules + " schedules broke an invariant ("
        + empty + " resolved to zero addresses); first: " + first);
    assertThat(failures).as("the simulation can find the race without the guards").isPositive();
    assertThat(empty).as("some legacy schedules empty the endpoint, as in 2025").isPositive();
  }

  @Test
  void aFailingSeedReplaysExactly() {
    DecisionLog log = DecisionLog.discard("dynamodb.local.cairn.internal");
    Long failing = null;
    String first = null;
    for (long seed = 20251020L; seed < 20251020L + 100 && failing == null; seed++) {
      try {
        new Simulation(seed, Mode.LEGACY_TEST_ONLY, log).run(EVENTS_PER_SCHEDULE);
      } catch (Simulation.Violation v) {
        failing = seed;
        first = v.getMessage();
      }
    }
    assertThat(failing).as("some legacy seed fails").isNotNull();
    long seed = failing;
    assertThat(first).startsWith("seed " + seed + " step ").contains("-Dcairn.sim.seed=" + seed);
    Throwable again = org.assertj.core.api.Assertions.catchThrowable(
        () -> new Simulation(seed, Mode.LEGACY_TEST_ONLY, log).run(EVENTS_PER_SCHEDULE));
    assertThat(again).isInstanceOf(Simulation.Violation.class).hasMessage(first);
  }
}
