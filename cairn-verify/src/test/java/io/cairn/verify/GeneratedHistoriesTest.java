package io.cairn.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Histories from real executions against a sequential register are always linearizable; the same
 * histories with one read made impossible never are. jqwik reports the falsifying seed.
 */
class GeneratedHistoriesTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  @Property(tries = 300)
  void executedHistoriesAreAccepted(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int keys,
      @ForAll @IntRange(min = 1, max = 6) int clients,
      @ForAll @IntRange(min = 0, max = 150) int operations, @ForAll boolean conditionalWrites) {
    History h = ExecutionGenerator.generate(new Random(seed), keys, clients, operations, 0.05,
        conditionalWrites);
    Verdict v = checker.check(h);
    assertThat(v).as("seed %d: %s", seed, v).isInstanceOf(Verdict.Linearizable.class);
  }

  @Property(tries = 300)
  void oneImpossibleReadIsRejected(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int keys,
      @ForAll @IntRange(min = 1, max = 6) int clients,
      @ForAll @IntRange(min = 1, max = 150) int operations, @ForAll boolean conditionalWrites) {
    Random rnd = new Random(seed);
    History h = ExecutionGenerator.generate(rnd, keys, clients, operations, 0.05,
        conditionalWrites);
    Optional<History> mutated = ExecutionGenerator.withOneImpossibleRead(h, rnd);
    if (mutated.isEmpty()) {
      return;
    }
    Verdict v = checker.check(mutated.get());
    assertThat(v).as("seed %d", seed).isInstanceOf(Verdict.NotLinearizable.class);
    Counterexample c = ((Verdict.NotLinearizable) v).counterexamples().get(0);
    assertThat(c.failingSubHistory()).isNotEmpty().hasSizeLessThanOrEqualTo(c.keyOperationCount());
    assertThat(new LinearizabilityChecker().check(new History(c.failingSubHistory())))
        .as("the reported sub-history must itself fail").isInstanceOf(Verdict.NotLinearizable.class);
  }
}
