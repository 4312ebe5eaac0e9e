package io.cairn.admin;

import java.util.Objects;

/** A storage node's name as operators see it, e.g. {@code storage-az1-1}. */
public record NodeId(String name) implements Comparable<NodeId> {
  public NodeId {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("node name must not be blank");
    }
  }

  @Override
  public int compareTo(NodeId other) {
    return name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
