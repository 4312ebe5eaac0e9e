package io.cairn.verify;

import io.cairn.core.Invariants;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Wing–Gong search with Lowe's memoisation, for the operations of one key against a register
 * (absent initially). Operations are re-indexed by invocation time; call and return entries form a
 * doubly linked list in time order (calls before returns at equal times, so that touching operations
 * count as concurrent: the permissive reading). The search repeatedly linearizes a minimal operation
 * (a call entry before the first remaining return entry) whose step is legal, skipping any
 * (linearized set, register value) configuration seen before, and backtracks on reaching a return
 * entry. An operation that never completed has its return entry at infinity, so it never blocks
 * another; the search succeeds once every completed operation is linearized, leaving unfinished
 * ones either linearized (they took effect) or not (they never did).
 */
final class RegisterSearch {
  private static final int NIL = -1;
  private static final int ABSENT = 0;
  private static final int ILLEGAL = -1;

  private static final byte PUT = 0;
  private static final byte DELETE = 1;
  private static final byte GET = 2;
  private static final byte CAS_SUCCEEDED = 3;
  private static final byte CAS_FAILED = 4;
  private static final byte CAS_UNKNOWN = 5;

  /** The result of searching one key. */
  sealed interface Result {
    long statesExplored();

    record Linearizable(long statesExplored) implements Result {}

    record NotLinearizable(long statesExplored) implements Result {}

    record OverBudget(long statesExplored) implements Result {}
  }

  private RegisterSearch() {}

  /**
   * Operations of one key. Dropped before the search, without changing the answer: gets that never
   * completed (they constrain nothing), and, on keys with no failed conditional write, unfinished
   * writes of a value nobody observed. Linearizing such a write only puts the register in a state
   * no later read or condition accepts until it is overwritten, so a linearization that includes
   * it stays one without it; a failed condition is the one thing such a state could satisfy. Each
   * unfinished write would otherwise double the configurations to explore.
   */
  static Result run(List<Operation> keyOperations, long statesExploredMax) {
    Set<String> observed = new HashSet<>();
    boolean anyConditionFailed = false;
    for (Operation op : keyOperations) {
      switch (op.command()) {
        case Command.Get g -> {
          if (!op.isPending()) {
            g.observed().ifPresent(observed::add);
          }
        }
        case Command.ConditionalPut c -> {
          c.expected().ifPresent(observed::add);
          anyConditionFailed |= c.outcome() == Command.Outcome.CONDITION_FAILED;
        }
        case Command.Put p -> { }
        case Command.Delete d -> { }
      }
    }
    boolean dropUnobservedPendingWrites = !anyConditionFailed;
    Operation[] ops = keyOperations.stream()
        .filter(op -> !(op.isPending() && op.command() instanceof Command.Get))
        .filter(op -> !(dropUnobservedPendingWrites && op.isPending()
            && writtenValue(op).map(v -> !observed.contains(v)).orElse(false)))
        .sorted(Comparator.comparingLong(Operation::invokedNanos).thenComparingInt(Operation::id))
        .toArray(Operation[]::new);
    int n = ops.length;
    Map<String, Integer> valueIds = new HashMap<>();
    byte[] kind = new byte[n];
    int[] arg1 = new int[n];
    int[] arg2 = new int[n];
    boolean[] pending = new boolean[n];
    int completedTotal = 0;
    for (int i = 0; i < n; i++) {
      pending[i] = ops[i].isPending();
      if (!pending[i]) {
        completedTotal++;
      }
      switch (ops[i].command()) {
        case Command.Put p -> {
          kind[i] = PUT;
          arg1[i] = intern(valueIds, Optional.of(p.value()));
        }
        case Command.Delete d -> kind[i] = DELETE;
        case Command.Get g -> {
          kind[i] = GET;
          arg1[i] = intern(valueIds, g.observed());
        }
        case Command.ConditionalPut c -> {
          kind[i] = switch (c.outcome()) {
            case SUCCEEDED -> CAS_SUCCEEDED;
            case CONDITION_FAILED -> CAS_FAILED;
            case UNKNOWN -> CAS_UNKNOWN;
          };
          arg1[i] = intern(valueIds, c.expected());
          arg2[i] = intern(valueIds, c.replacement());
        }
      }
    }

    // Entry e < n is the call of operation e; entry n + e is its return. Index 2n is the head.
    int head = 2 * n;
    Integer[] order = new Integer[2 * n];
    long[] time = new long[2 * n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      order[n + i] = n + i;
      time[i] = ops[i].invokedNanos();
      time[n + i] = ops[i].completedNanos();
    }
    Arrays.sort(order, Comparator.<Integer>comparingLong(e -> time[e])
        .thenComparingInt(e -> e < n ? 0 : 1)
        .thenComparingInt(e -> e));
    int[] next = new int[2 * n + 1];
    int[] prev = new int[2 * n + 1];
    int last = head;
    for (int e : order) {
      next[last] = e;
      prev[e] = last;
      last = e;
    }
    next[last] = NIL;

    long[] linearized = new long[(n + 63) / 64];
    int[] stackOp = new int[n];
    int[] stackState = new int[n];
    int depth = 0;
    int completedLinearized = 0;
    int state = ABSENT;
    Set<Configuration> seen = new HashSet<>();
    int entry = next[head];
    while (true) {
      if (completedLinearized == completedTotal) {
        return new Result.Linearizable(seen.size());
      }
      Invariants.check(entry != NIL, "search ran off the entry list with completed operations left");
      if (entry < n) {
        int op = entry;
        int stepped = step(state, kind[op], arg1[op], arg2[op]);
        if (stepped != ILLEGAL) {
          linearized[op >>> 6] |= 1L << op;
          if (seen.add(Configuration.of(linearized, stepped))) {
            if (seen.size() > statesExploredMax) {
              return new Result.OverBudget(seen.size());
            }
            stackOp[depth] = op;
            stackState[depth] = state;
            depth++;
            state = stepped;
            if (!pending[op]) {
              completedLinearized++;
            }
            lift(next, prev, op, n + op);
            entry = next[head];
            continue;
          }
          linearized[op >>> 6] &= ~(1L << op);
        }
        entry = next[entry];
      } else {
        Invariants.check(!pending[entry - n], "reached an unfinished operation's return entry");
        if (depth == 0) {
          return new Result.NotLinearizable(seen.size());
        }
        depth--;
        int op = stackOp[depth];
        state = stackState[depth];
        linearized[op >>> 6] &= ~(1L << op);
        if (!pending[op]) {
          completedLinearized--;
        }
        unlift(next, prev, op, n + op);
        entry = next[op];
      }
    }
  }

  /** The value an unconditional or conditional put writes (empty for deletes and gets). */
  private static Optional<String> writtenValue(Operation op) {
    return switch (op.command()) {
      case Command.Put p -> Optional.of(p.value());
      case Command.ConditionalPut c -> c.replacement();
      case Command.Delete d -> Optional.empty();
      case Command.Get g -> Optional.empty();
    };
  }

  private static int intern(Map<String, Integer> ids, Optional<String> value) {
    return value.map(v -> ids.computeIfAbsent(v, k -> ids.size() + 1)).orElse(ABSENT);
  }

  /** The register's value after the operation, or ILLEGAL if the operation cannot happen now. */
  private static int step(int state, byte kind, int arg1, int arg2) {
    return switch (kind) {
      case PUT -> arg1;
      case DELETE -> ABSENT;
      case GET -> state == arg1 ? state : ILLEGAL;
      case CAS_SUCCEEDED -> state == arg1 ? arg2 : ILLEGAL;
      case CAS_FAILED -> state != arg1 ? state : ILLEGAL;
      case CAS_UNKNOWN -> state == arg1 ? arg2 : state;
      default -> throw new Invariants.InvariantViolation("unknown operation kind " + kind);
    };
  }

  // Dancing links: lift removes the call then the return entry; unlift restores in reverse order.
  private static void lift(int[] next, int[] prev, int call, int ret) {
    unlink(next, prev, call);
    unlink(next, prev, ret);
  }

  private static void unlift(int[] next, int[] prev, int call, int ret) {
    relink(next, prev, ret);
    relink(next, prev, call);
  }

  private static void unlink(int[] next, int[] prev, int e) {
    next[prev[e]] = next[e];
    if (next[e] != NIL) {
      prev[next[e]] = prev[e];
    }
  }

  private static void relink(int[] next, int[] prev, int e) {
    next[prev[e]] = e;
    if (next[e] != NIL) {
      prev[next[e]] = e;
    }
  }

  /**
   * A visited configuration. Operations are indexed by invocation time, so the linearized set is
   * mostly a prefix: it is stored as the number of leading all-ones words and the words after them,
   * which keeps memory per configuration small on long histories.
   */
  private static final class Configuration {
    private final int fullWords;
    private final long[] tail;
    private final int state;
    private final int hash;

    private Configuration(int fullWords, long[] tail, int state) {
      this.fullWords = fullWords;
      this.tail = tail;
      this.state = state;
      this.hash = 31 * (31 * fullWords + Arrays.hashCode(tail)) + state;
    }

    static Configuration of(long[] bits, int state) {
      int full = 0;
      while (full < bits.length && bits[full] == -1L) {
        full++;
      }
      int end = bits.length;
      while (end > full && bits[end - 1] == 0L) {
        end--;
      }
      return new Configuration(full, Arrays.copyOfRange(bits, full, end), state);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Configuration c && c.hash == hash && c.fullWords == fullWords
          && c.state == state && Arrays.equals(c.tail, tail);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
