package io.cairn.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Produces histories that are linearizable by construction: concurrent clients invoke operations,
 * each operation takes effect on a sequential map of registers at one instant between its
 * invocation and its completion, and some clients crash mid-operation (before or after the effect)
 * and come back under a new id. Every written value is unique.
 */
final class ExecutionGenerator {
  private enum Phase { IDLE, INVOKED, APPLIED }

  private static final class Client {
    ClientId id;
    Phase phase = Phase.IDLE;
    int opId;
    String key;
    Command command;
    long invokedNanos;

    Client(ClientId id) {
      this.id = id;
    }
  }

  private ExecutionGenerator() {}

  static History generate(Random rnd, int keyCount, int clientCount, int operationCount,
      double crashProbability) {
    return generate(rnd, keyCount, clientCount, operationCount, crashProbability, true);
  }

  static History generate(Random rnd, int keyCount, int clientCount, int operationCount,
      double crashProbability, boolean conditionalWrites) {
    Map<String, Optional<String>> registers = new HashMap<>();
    List<Operation> ops = new ArrayList<>();
    List<Client> clients = new ArrayList<>();
    int nextClientId = 0;
    for (int i = 0; i < clientCount; i++) {
      clients.add(new Client(new ClientId(nextClientId++)));
    }
    int invoked = 0;
    int valueCounter = 0;
    long now = 0;
    int busy = 0;
    while (invoked < operationCount || busy > 0) {
      now += rnd.nextInt(4);
      Client c = clients.get(rnd.nextInt(clientCount));
      switch (c.phase) {
        case IDLE -> {
          if (invoked >= operationCount) {
            continue;
          }
          c.opId = invoked++;
          c.key = "k" + rnd.nextInt(keyCount);
          Optional<String> current = registers.getOrDefault(c.key, Optional.empty());
          int choice = rnd.nextInt(10);
          if (!conditionalWrites && (choice == 4 || choice == 5)) {
            choice = 0;
          }
          c.command = switch (choice) {
            case 0, 1, 2 -> Command.put("v" + valueCounter++);
            case 3 -> Command.delete();
            case 4, 5 -> new Command.ConditionalPut(
                rnd.nextInt(3) == 0 ? Optional.of("v" + rnd.nextInt(valueCounter + 1)) : current,
                rnd.nextInt(5) == 0 ? Optional.empty() : Optional.of("v" + valueCounter++),
                Command.Outcome.UNKNOWN);
            default -> Command.getAbsent();
          };
          c.invokedNanos = now;
          c.phase = Phase.INVOKED;
          busy++;
        }
        case INVOKED -> {
          if (rnd.nextDouble() < crashProbability) {
            crash(ops, c, nextClientId++);
            busy--;
            continue;
          }
          Optional<String> current = registers.getOrDefault(c.key, Optional.empty());
          c.command = switch (c.command) {
            case Command.Put p -> {
              registers.put(c.key, Optional.of(p.value()));
              yield p;
            }
            case Command.Delete d -> {
              registers.put(c.key, Optional.empty());
              yield d;
            }
            case Command.Get g -> new Command.Get(current);
            case Command.ConditionalPut cp -> {
              boolean holds = cp.expected().equals(current);
              if (holds) {
                registers.put(c.key, cp.replacement());
              }
              yield new Command.ConditionalPut(cp.expected(), cp.replacement(),
                  holds ? Command.Outcome.SUCCEEDED : Command.Outcome.CONDITION_FAILED);
            }
          };
          c.phase = Phase.APPLIED;
        }
        case APPLIED -> {
          if (rnd.nextDouble() < crashProbability) {
            crash(ops, c, nextClientId++);
          } else {
            ops.add(Operation.completed(c.opId, c.id, c.key, c.command, c.invokedNanos, now));
            c.phase = Phase.IDLE;
          }
          busy--;
        }
      }
    }
    return new History(ops);
  }

  /** The client never hears back: its operation is pending, and it continues under a new id. */
  private static void crash(List<Operation> ops, Client c, int newId) {
    Command command = c.command instanceof Command.ConditionalPut cp
        ? new Command.ConditionalPut(cp.expected(), cp.replacement(), Command.Outcome.UNKNOWN)
        : c.command;
    ops.add(Operation.pending(c.opId, c.id, c.key, command, c.invokedNanos));
    c.id = new ClientId(newId);
    c.phase = Phase.IDLE;
  }

  /**
   * The same history with one completed read's value replaced by one it cannot have seen: a value
   * first written by an operation invoked after the read completed, or else one never written.
   * Returns empty if the history has no completed read.
   */
  static Optional<History> withOneImpossibleRead(History history, Random rnd) {
    List<Operation> reads = history.operations().stream()
        .filter(op -> !op.isPending() && op.command() instanceof Command.Get)
        .toList();
    if (reads.isEmpty()) {
      return Optional.empty();
    }
    Operation read = reads.get(rnd.nextInt(reads.size()));
    Optional<String> later = history.operations().stream()
        .filter(op -> op.key().equals(read.key()) && op.invokedNanos() > read.completedNanos())
        .map(op -> switch (op.command()) {
          case Command.Put p -> Optional.of(p.value());
          case Command.ConditionalPut cp -> cp.replacement();
          case Command.Delete d -> Optional.<String>empty();
          case Command.Get g -> Optional.<String>empty();
        })
        .flatMap(Optional::stream)
        .findFirst();
    String impossible = later.orElse("never-written");
    List<Operation> mutated = new ArrayList<>();
    for (Operation op : history.operations()) {
      mutated.add(op == read ? op.withCommand(Command.get(impossible)) : op);
    }
    return Optional.of(new History(mutated));
  }
}
