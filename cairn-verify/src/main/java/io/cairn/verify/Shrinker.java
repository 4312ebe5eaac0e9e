package io.cairn.verify;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Shrinks a failing key history to a small failing sub-history: first the shortest failing prefix
 * (by invocation), then ddmin-style removal of chunks and single operations. Linearizability is not
 * monotone under removing operations (dropping a write can break a read), so every candidate is
 * re-checked; only candidates proven to fail are kept. A candidate must also keep a writer of
 * every value its reads (and successful conditions) observed, when the full history has one:
 * otherwise a stale read would "shrink" to a read of a value never written, which is true but
 * explains nothing. The number of checks is bounded.
 */
final class Shrinker {
  private final int checksMax;
  private final long statesMax;
  private int checks;

  Shrinker(int checksMax, long statesMax) {
    this.checksMax = checksMax;
    this.statesMax = statesMax;
  }

  List<Operation> shrink(List<Operation> failing) {
    writtenInFull = written(failing);
    List<Operation> current = shortestFailingPrefix(failing);
    int chunks = 2;
    while (current.size() >= 2 && checks < checksMax) {
      int chunkSize = (current.size() + chunks - 1) / chunks;
      boolean reduced = false;
      for (int start = 0; start < current.size() && checks < checksMax; start += chunkSize) {
        List<Operation> candidate = new ArrayList<>(current.subList(0, start));
        candidate.addAll(current.subList(Math.min(current.size(), start + chunkSize), current.size()));
        if (fails(candidate)) {
          current = candidate;
          chunks = Math.max(chunks - 1, 2);
          reduced = true;
          break;
        }
      }
      if (!reduced) {
        if (chunkSize == 1) {
          break;
        }
        chunks = Math.min(current.size(), chunks * 2);
      }
    }
    return current;
  }

  /** Exponential then binary search for a short failing prefix; falls back to the whole. */
  private List<Operation> shortestFailingPrefix(List<Operation> ops) {
    int failingLength = ops.size();
    int length = 4;
    int passingLength = 0;
    while (length < ops.size() && checks < checksMax) {
      if (fails(ops.subList(0, length))) {
        failingLength = length;
        break;
      }
      passingLength = length;
      length *= 2;
    }
    int low = passingLength;
    int high = failingLength;
    while (high - low > 1 && checks < checksMax) {
      int mid = (low + high) >>> 1;
      if (fails(ops.subList(0, mid))) {
        high = mid;
      } else {
        low = mid;
      }
    }
    return new ArrayList<>(ops.subList(0, high));
  }

  private Set<String> writtenInFull = Set.of();

  private boolean fails(List<Operation> candidate) {
    Set<String> written = written(candidate);
    for (Operation op : candidate) {
      Optional<String> seen = observed(op);
      if (seen.isPresent() && writtenInFull.contains(seen.get()) && !written.contains(seen.get())) {
        return false;
      }
    }
    checks++;
    return RegisterSearch.run(candidate, statesMax) instanceof RegisterSearch.Result.NotLinearizable;
  }

  private static Set<String> written(List<Operation> ops) {
    Set<String> written = new HashSet<>();
    for (Operation op : ops) {
      switch (op.command()) {
        case Command.Put p -> written.add(p.value());
        case Command.ConditionalPut c -> c.replacement().ifPresent(written::add);
        case Command.Delete d -> { }
        case Command.Get g -> { }
      }
    }
    return written;
  }

  /** The value an operation saw, if it reports one. */
  static Optional<String> observed(Operation op) {
    return switch (op.command()) {
      case Command.Get g -> op.isPending() ? Optional.empty() : g.observed();
      case Command.ConditionalPut c ->
          c.outcome() == Command.Outcome.SUCCEEDED ? c.expected() : Optional.empty();
      case Command.Put p -> Optional.empty();
      case Command.Delete d -> Optional.empty();
    };
  }
}
