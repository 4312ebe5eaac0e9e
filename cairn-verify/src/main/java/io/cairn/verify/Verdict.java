package io.cairn.verify;

import java.util.List;

/** The result of checking a history: each key is checked on its own (P-compositionality). */
public sealed interface Verdict
    permits Verdict.Linearizable, Verdict.NotLinearizable, Verdict.Unknown {

  /** Configurations visited by the search over all keys (a measure of the work done). */
  long statesExplored();

  /** Every key's operations have a linearization. */
  record Linearizable(int keyCount, int operationCount, long statesExplored) implements Verdict {}

  /** At least one key's operations have none; one counterexample per failing key. */
  record NotLinearizable(List<Counterexample> counterexamples, long statesExplored)
      implements Verdict {
    public NotLinearizable {
      counterexamples = List.copyOf(counterexamples);
    }

    public String describe() {
      StringBuilder out = new StringBuilder("history is NOT linearizable ("
          + counterexamples.size() + " key(s) failed)\n");
      counterexamples.forEach(c -> out.append(c.describe()));
      return out.toString();
    }
  }

  /**
   * No key failed, but the search gave up on some keys after exploring its limit of states: the
   * history was neither proven linearizable nor shown not to be.
   */
  record Unknown(List<String> keysOverBudget, long statesExplored) implements Verdict {
    public Unknown {
      keysOverBudget = List.copyOf(keysOverBudget);
    }
  }
}
