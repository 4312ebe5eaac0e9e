package io.cairn.verify;

import io.cairn.core.Invariants;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a history of per-key register operations (put, delete, strongly consistent get,
 * conditional put/delete) for linearizability. Keys are independent registers, so each key is
 * searched on its own; a key that fails is shrunk to a small failing sub-history for the report.
 * Pure: no clock, no threads, no I/O; the work is bounded by {@link Limits}.
 */
public final class LinearizabilityChecker {

  /**
   * @param statesExploredMaxPerKey configurations the search may visit on one key before giving up
   *     with {@link Verdict.Unknown}; each costs a few dozen bytes of memory
   * @param shrinkChecksMax sub-history checks spent shrinking one failing key
   * @param shrinkStatesExploredMax the state limit of each of those checks
   */
  public record Limits(
      long statesExploredMaxPerKey, int shrinkChecksMax, long shrinkStatesExploredMax) {
    public static final Limits DEFAULT = new Limits(5_000_000, 2_000, 200_000);

    public Limits {
      Invariants.check(statesExploredMaxPerKey > 0, "statesExploredMaxPerKey must be positive");
      Invariants.check(shrinkChecksMax >= 0, "shrinkChecksMax must not be negative");
      Invariants.check(shrinkStatesExploredMax > 0, "shrinkStatesExploredMax must be positive");
    }
  }

  private final Limits limits;

  public LinearizabilityChecker() {
    this(Limits.DEFAULT);
  }

  public LinearizabilityChecker(Limits limits) {
    this.limits = limits;
  }

  public Verdict check(History history) {
    long states = 0;
    List<Counterexample> failures = new ArrayList<>();
    List<String> overBudget = new ArrayList<>();
    Map<String, List<Operation>> byKey = history.byKey();
    for (Map.Entry<String, List<Operation>> key : byKey.entrySet()) {
      RegisterSearch.Result result =
          RegisterSearch.run(key.getValue(), limits.statesExploredMaxPerKey());
      states += result.statesExplored();
      switch (result) {
        case RegisterSearch.Result.Linearizable ok -> { }
        case RegisterSearch.Result.OverBudget over -> overBudget.add(key.getKey());
        case RegisterSearch.Result.NotLinearizable bad ->
            failures.add(explain(key.getKey(), key.getValue()));
      }
    }
    if (!failures.isEmpty()) {
      return new Verdict.NotLinearizable(failures, states);
    }
    if (!overBudget.isEmpty()) {
      return new Verdict.Unknown(overBudget, states);
    }
    return new Verdict.Linearizable(byKey.size(), history.size(), states);
  }

  private Counterexample explain(String key, List<Operation> ops) {
    List<Operation> small = new Shrinker(limits.shrinkChecksMax(), limits.shrinkStatesExploredMax())
        .shrink(ops);
    return new Counterexample(key, ops.size(), small, hints(ops, small));
  }

  /** Cheap, certain diagnoses; the sub-history itself is the real explanation. */
  private static List<String> hints(List<Operation> all, List<Operation> small) {
    Set<String> written = new HashSet<>();
    for (Operation op : all) {
      switch (op.command()) {
        case Command.Put p -> written.add(p.value());
        case Command.ConditionalPut c -> c.replacement().ifPresent(written::add);
        case Command.Delete d -> { }
        case Command.Get g -> { }
      }
    }
    List<String> hints = new ArrayList<>();
    for (Operation op : small) {
      Optional<String> observed = Shrinker.observed(op);
      if (observed.isPresent() && !written.contains(observed.get())) {
        hints.add("#" + op.id() + " saw \"" + observed.get()
            + "\", which no operation on this key ever wrote");
      }
    }
    return hints;
  }
}
