package io.cairn.admin;

import java.util.Objects;
import java.util.Optional;

/**
 * One replica of a partition. A {@link State#FILLING} replica is being built (snapshot, then log
 * catch-up) and does not vote yet; {@code replacing} names the replica it will replace once it is
 * {@link State#READY}, if it was added by a repair.
 */
public record Replica(NodeId node, State state, Optional<NodeId> replacing) {
  public enum State { FILLING, READY }

  public Replica {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(replacing, "replacing");
    if (replacing.isPresent() && replacing.get().equals(node)) {
      throw new IllegalArgumentException(node + " cannot replace itself");
    }
  }

  public static Replica ready(NodeId node) {
    return new Replica(node, State.READY, Optional.empty());
  }

  public static Replica filling(NodeId node, NodeId replacing) {
    return new Replica(node, State.FILLING, Optional.of(replacing));
  }

  public boolean isReady() {
    return state == State.READY;
  }

  public Replica asReady() {
    return new Replica(node, State.READY, replacing);
  }

  public Replica replacementDone() {
    return new Replica(node, state, Optional.empty());
  }
}
