package io.cairn.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** How long a history the size of a cluster test's takes to check; timings are printed. */
class CheckerPerformanceTest {

  private static long checkMs(String what, History h, Class<? extends Verdict> expected) {
    return checkMs(what, h, expected, true);
  }

  /** Prints wall and CPU time (the machine is shared: CPU time is the steadier number). */
  private static long checkMs(String what, History h, Class<? extends Verdict> expected,
      boolean warmUp) {
    LinearizabilityChecker checker = new LinearizabilityChecker();
    if (warmUp) {
      checker.check(h);
    }
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    Verdict v = checker.check(h);
    long ms = (System.nanoTime() - start) / 1_000_000;
    long cpuMs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
    System.out.printf("%s: %d operations, %s, %d states explored, %d ms wall, %d ms CPU%s%n", what,
        h.size(), v.getClass().getSimpleName(), v.statesExplored(), ms, cpuMs,
        warmUp ? "" : " (no warm-up)");
    assertThat(v).isInstanceOf(expected);
    return cpuMs;
  }

  @Test
  void tenKeysTwoThousandOperationsEachEightClients() {
    long seed = 20261122L;
    History h = ExecutionGenerator.generate(new Random(seed), 10, 8, 20_000, 0.01);
    assertThat(checkMs("seed " + seed + ", 10 keys x 2,000 ops, 8 clients", h,
        Verdict.Linearizable.class)).isLessThan(20_000);
  }

  @Test
  void oneHotKeyTwoThousandOperationsEightClients() {
    long seed = 7L;
    History h = ExecutionGenerator.generate(new Random(seed), 1, 8, 2_000, 0.01);
    checkMs("seed " + seed + ", 1 key x 2,000 ops, 8 clients", h, Verdict.Linearizable.class);
    History bad = ExecutionGenerator.withOneImpossibleRead(h, new Random(seed)).orElseThrow();
    checkMs("seed " + seed + ", same with one impossible read (incl. shrinking)", bad,
        Verdict.NotLinearizable.class);
  }

  @Test
  void manyCrashedClientsOnOneKey() {
    long seed = 11L;
    History h = ExecutionGenerator.generate(new Random(seed), 1, 16, 2_000, 0.05);
    long pending = h.operations().stream().filter(Operation::isPending).count();
    checkMs("seed " + seed + ", 1 key x 2,000 ops, 16 clients, " + pending + " never completed", h,
        Verdict.Linearizable.class, false);
  }

  @Test
  void manyCrashedWritersWithoutConditionsArePruned() {
    long seed = 11L;
    History h = ExecutionGenerator.generate(new Random(seed), 1, 16, 2_000, 0.05, false);
    long pending = h.operations().stream().filter(Operation::isPending).count();
    checkMs("seed " + seed + ", 1 key x 2,000 puts/deletes/gets, 16 clients, " + pending
        + " never completed", h, Verdict.Linearizable.class, false);
  }
}
