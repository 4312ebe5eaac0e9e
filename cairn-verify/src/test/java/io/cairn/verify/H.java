package io.cairn.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A tiny builder for hand-written histories: times are small integers, one key unless named. */
final class H {
  private final List<Operation> ops = new ArrayList<>();
  private String key = "k";

  H key(String k) {
    key = k;
    return this;
  }

  H put(int client, String value, long from, long to) {
    return add(client, Command.put(value), from, to);
  }

  H putPending(int client, String value, long from) {
    ops.add(Operation.pending(ops.size(), new ClientId(client), key, Command.put(value), from));
    return this;
  }

  H delete(int client, long from, long to) {
    return add(client, Command.delete(), from, to);
  }

  H get(int client, String observed, long from, long to) {
    return add(client, observed == null ? Command.getAbsent() : Command.get(observed), from, to);
  }

  H cas(int client, String expected, String replacement, boolean succeeded, long from, long to) {
    return add(client, new Command.ConditionalPut(Optional.ofNullable(expected),
        Optional.ofNullable(replacement),
        succeeded ? Command.Outcome.SUCCEEDED : Command.Outcome.CONDITION_FAILED), from, to);
  }

  H casPending(int client, String expected, String replacement, long from) {
    ops.add(Operation.pending(ops.size(), new ClientId(client), key,
        new Command.ConditionalPut(Optional.ofNullable(expected), Optional.ofNullable(replacement),
            Command.Outcome.UNKNOWN), from));
    return this;
  }

  private H add(int client, Command command, long from, long to) {
    ops.add(Operation.completed(ops.size(), new ClientId(client), key, command, from, to));
    return this;
  }

  History history() {
    return new History(ops);
  }

  Verdict check() {
    return new LinearizabilityChecker().check(history());
  }
}
