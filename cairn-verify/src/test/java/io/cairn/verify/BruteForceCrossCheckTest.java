package io.cairn.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * On tiny random histories (linearizable or not, values reused, some operations unfinished), the
 * checker agrees with brute force: every subset of the unfinished operations, every order that
 * respects real time, replayed on a register. This checks the search, its pruning of unfinished
 * operations, and the model semantics in both directions.
 */
class BruteForceCrossCheckTest {
  private static final String[] VALUES = {"a", "b", "c"};

  @Property(tries = 1_000)
  void checkerAgreesWithBruteForce(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n) {
    Random rnd = new Random(seed);
    List<Operation> ops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long from = rnd.nextInt(20);
      boolean pending = rnd.nextInt(5) == 0;
      Command command = switch (rnd.nextInt(5)) {
        case 0, 1 -> Command.put(VALUES[rnd.nextInt(3)]);
        case 2 -> Command.delete();
        case 3 -> new Command.Get(value(rnd));
        default -> new Command.ConditionalPut(value(rnd), value(rnd), pending
            ? Command.Outcome.UNKNOWN
            : rnd.nextBoolean() ? Command.Outcome.SUCCEEDED : Command.Outcome.CONDITION_FAILED);
      };
      ClientId client = new ClientId(i);
      ops.add(pending ? Operation.pending(i, client, "k", command, from)
          : Operation.completed(i, client, "k", command, from, from + rnd.nextInt(10)));
    }
    boolean expected = bruteForce(ops);
    Statistics.collect(expected ? "linearizable" : "not linearizable");
    Verdict v = new LinearizabilityChecker().check(new History(ops));
    assertThat(v).as("seed %d, history %s", seed, ops).isInstanceOf(expected
        ? Verdict.Linearizable.class : Verdict.NotLinearizable.class);
  }

  private static Optional<String> value(Random rnd) {
    int i = rnd.nextInt(4);
    return i == 3 ? Optional.empty() : Optional.of(VALUES[i]);
  }

  private static boolean bruteForce(List<Operation> ops) {
    List<Integer> pendingIdx = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i).isPending()) {
        pendingIdx.add(i);
      }
    }
    for (int mask = 0; mask < (1 << pendingIdx.size()); mask++) {
      List<Operation> included = new ArrayList<>();
      for (int i = 0; i < ops.size(); i++) {
        int p = pendingIdx.indexOf(i);
        if (p < 0 || (mask & (1 << p)) != 0) {
          included.add(ops.get(i));
        }
      }
      if (anyOrderWorks(included, new ArrayList<>(), new boolean[included.size()])) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyOrderWorks(List<Operation> ops, List<Operation> order, boolean[] used) {
    if (order.size() == ops.size()) {
      return replays(order);
    }
    for (int i = 0; i < ops.size(); i++) {
      if (used[i]) {
        continue;
      }
      Operation candidate = ops.get(i);
      // Nothing not yet placed may have completed before the candidate was invoked.
      boolean minimal = true;
      for (int j = 0; j < ops.size(); j++) {
        if (!used[j] && j != i && ops.get(j).precedes(candidate)) {
          minimal = false;
        }
      }
      if (!minimal) {
        continue;
      }
      used[i] = true;
      order.add(candidate);
      if (anyOrderWorks(ops, order, used)) {
        return true;
      }
      order.remove(order.size() - 1);
      used[i] = false;
    }
    return false;
  }

  private static boolean replays(List<Operation> order) {
    Optional<String> state = Optional.empty();
    for (Operation op : order) {
      switch (op.command()) {
        case Command.Put p -> state = Optional.of(p.value());
        case Command.Delete d -> state = Optional.empty();
        case Command.Get g -> {
          if (!op.isPending() && !g.observed().equals(state)) {
            return false;
          }
        }
        case Command.ConditionalPut c -> {
          boolean holds = c.expected().equals(state);
          switch (c.outcome()) {
            case SUCCEEDED -> {
              if (!holds) {
                return false;
              }
              state = c.replacement();
            }
            case CONDITION_FAILED -> {
              if (holds) {
                return false;
              }
            }
            case UNKNOWN -> {
              if (holds) {
                state = c.replacement();
              }
            }
          }
        }
      }
    }
    return true;
  }
}
