package io.cairn.verify;

import java.util.List;

/**
 * Why one key's history is not linearizable: the smallest failing sub-history found by shrinking
 * (every operation in it is needed for the failure, as far as the shrinking budget could tell), and
 * hints about what is wrong with it.
 */
public record Counterexample(
    String key, int keyOperationCount, List<Operation> failingSubHistory, List<String> hints) {

  public Counterexample {
    failingSubHistory = List.copyOf(failingSubHistory);
    hints = List.copyOf(hints);
  }

  /** A multi-line, readable explanation for a test report. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    out.append("key \"").append(key).append("\" is not linearizable (")
        .append(keyOperationCount).append(" operations on the key). Smallest failing sub-history")
        .append(" found, ").append(failingSubHistory.size())
        .append(" operation(s): no order of them that respects real time (unfinished ones taking")
        .append(" effect once at any time after invocation, or never) explains what was seen:\n");
    for (Operation op : failingSubHistory) {
      out.append("    ").append(op.describe()).append('\n');
    }
    for (String hint : hints) {
      out.append("  hint: ").append(hint).append('\n');
    }
    return out.toString();
  }
}
