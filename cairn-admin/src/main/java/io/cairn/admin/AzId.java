package io.cairn.admin;

import java.util.Objects;

/** An availability zone's name, e.g. {@code az1}. */
public record AzId(String name) implements Comparable<AzId> {
  public AzId {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("AZ name must not be blank");
    }
  }

  @Override
  public int compareTo(AzId other) {
    return name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
