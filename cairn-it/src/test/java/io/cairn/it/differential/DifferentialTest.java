package io.cairn.it.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.it.support.DynamoTarget;
import io.cairn.it.support.SignedJsonClient;
import io.cairn.it.support.Targets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs the seeded request generator against two targets and fails on any difference.
 *
 * <p>System properties:
 *
 * <ul>
 *   <li>{@code cairn.diff.target} — the target under test: {@code cairn} (default: in-process
 *       {@code CairnServer.start(CairnConfig.forTests())}), {@code cairn-process}, {@code
 *       cairn-cluster} (the shared 3-AZ cluster, requests to router-1 and router-2 in turn; CI runs
 *       it as {@link ClusterDifferentialTest}), or {@code local} (DynamoDB Local against itself,
 *       which proves the harness is deterministic). The oracle is always DynamoDB Local.
 *   <li>{@code cairn.diff.ops} — operations per run (default 3000).
 *   <li>{@code cairn.diff.seed} — the generator's seed, printed on every run. CI uses a fixed seed,
 *       so that the test fails only when behaviour changes; {@code random} explores new requests
 *       (a separate run, like a soak: {@code -Dcairn.diff.seed=random -Dcairn.diff.ops=20000}), and
 *       any seed it prints replays exactly.
 *   <li>{@code cairn.diff.compareMessages} — also compare ValidationException messages exactly.
 *   <li>{@code cairn.diff.numbers} — {@code value} (default) compares numbers by value; {@code
 *       exact} also compares how they are spelled. DynamoDB Local echoes a number as the client
 *       spelled it ("1.50", "4.22E9"); DynamoDB and Cairn return the canonical form ("1.5",
 *       "4220000000"), see docs/compatibility.md.
 * </ul>
 */
class DifferentialTest {
  static final String TARGET_PROPERTY = "cairn.diff.target";
  static final int DIFFERENCES_SHOWN_MAX = 10;

  @Test
  void targetBehavesLikeDynamoDbLocal() throws IOException {
    String targetKind = System.getProperty(TARGET_PROPERTY, "cairn");
    compare(targetKind, Integer.getInteger("cairn.diff.ops", 3000), true);
  }

  /** The seed: {@code cairn.diff.seed}, the fixed CI seed by default, {@code random} for a new one. */
  static long seed() {
    String seedProperty = System.getProperty("cairn.diff.seed", "3245894303166");
    return seedProperty.equals("random") ? System.nanoTime() : Long.parseLong(seedProperty);
  }

  /**
   * Runs {@code ops} generated steps against DynamoDB Local and the target (a kind {@link
   * Targets#start} knows), each request to the target's endpoints in turn, and fails on any
   * difference that is not a known DynamoDB Local deviation.
   *
   * @param globalIndexes whether the generator may create GSIs
   */
  static void compare(String targetKind, int ops, boolean globalIndexes) throws IOException {
    long seed = seed();
    boolean compareMessages = Boolean.getBoolean("cairn.diff.compareMessages");
    boolean numbersByValue = "value".equals(System.getProperty("cairn.diff.numbers", "value"));
    System.out.println("differential: seed=" + seed + " ops=" + ops + " target=" + targetKind
        + (globalIndexes ? "" : " (no GSIs)") + " (replay with -Dcairn.diff.seed=" + seed + ")");

    try (DynamoTarget oracle = Targets.start("local");
        DynamoTarget target = Targets.start(targetKind)) {
      DifferentialRunner runner =
          new DifferentialRunner(
              new SignedJsonClient(oracle.endpoint()), "dynamodb-local (oracle)",
              new SignedJsonClient(target.endpoints()), target.name(),
              new Normalizer(compareMessages, numbersByValue))
              .withIndexSettling(oracle::awaitIndexesSettled, target::awaitIndexesSettled);
      if (!globalIndexes) {
        runner.withoutGlobalIndexes();
      }
      if (target.endpoints().size() > 1) {
        runner.replicatedB(); // a cluster: retries 503s, re-reads eventually consistent reads
      }
      long startNanos = System.nanoTime();
      List<DifferentialRunner.Difference> all = runner.run(seed, ops);
      List<DifferentialRunner.Difference> known =
          all.stream().filter(d -> OracleDeviations.BY_LABEL.containsKey(d.step().label())).toList();
      List<DifferentialRunner.Difference> differences = all.stream().filter(d -> !known.contains(d)).toList();
      known.stream().map(d -> d.step().label()).distinct().forEach(label ->
          System.out.println("differential: known DynamoDB Local deviation on " + label + ": " + OracleDeviations.BY_LABEL.get(label)));
      System.out.printf("differential: %d ops in %.1f s, %d differences (%d requests sent again after 503, %d "
              + "eventually consistent reads read again)%n", ops, (System.nanoTime() - startNanos) / 1e9,
          differences.size(), runner.unavailableRetries(), runner.eventualRereads());
      System.out.print(runner.outcomeSummary());

      String report = differences.stream().map(DifferentialRunner.Difference::render).collect(Collectors.joining("\n"));
      if (!differences.isEmpty()) {
        Path file = Path.of("target", "differential", "differences-" + target.name() + "-" + seed + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report, StandardCharsets.UTF_8);
        System.out.println("differential: full report in " + file.toAbsolutePath());
      }
      assertThat(differences)
          .as(() -> differences.size() + " differences, seed " + seed + "; first ones:\n"
              + differences.stream().limit(DIFFERENCES_SHOWN_MAX).map(DifferentialRunner.Difference::render)
                  .collect(Collectors.joining("\n")))
          .isEmpty();
    }
  }
}
