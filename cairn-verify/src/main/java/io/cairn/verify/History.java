package io.cairn.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A recorded concurrent history. Validated on construction: operation ids are unique, and each
 * client issues one operation at a time, an unfinished operation being its last (a client that
 * timed out continues under a new {@link ClientId}).
 */
public record History(List<Operation> operations) {

  public History {
    operations = List.copyOf(operations);
    Set<Integer> ids = new HashSet<>();
    Map<ClientId, List<Operation>> byClient = new HashMap<>();
    for (Operation op : operations) {
      if (!ids.add(op.id())) {
        throw new IllegalArgumentException("duplicate operation id " + op.id());
      }
      byClient.computeIfAbsent(op.client(), c -> new ArrayList<>()).add(op);
    }
    for (List<Operation> ops : byClient.values()) {
      ops.sort(Comparator.comparingLong(Operation::invokedNanos));
      for (int i = 1; i < ops.size(); i++) {
        Operation before = ops.get(i - 1);
        Operation after = ops.get(i);
        if (before.isPending() || before.completedNanos() > after.invokedNanos()) {
          throw new IllegalArgumentException("client " + after.client()
              + " has overlapping operations #" + before.id() + " and #" + after.id()
              + " (a client issues one operation at a time; after a timeout use a new client id)");
        }
      }
    }
  }

  public static History of(Operation... operations) {
    return new History(List.of(operations));
  }

  /** The operations of each key, in order of invocation; keys in order of first appearance. */
  public Map<String, List<Operation>> byKey() {
    Map<String, List<Operation>> byKey = new LinkedHashMap<>();
    for (Operation op : operations) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    for (List<Operation> ops : byKey.values()) {
      ops.sort(Comparator.comparingLong(Operation::invokedNanos).thenComparingInt(Operation::id));
    }
    return byKey;
  }

  public int size() {
    return operations.size();
  }
}
