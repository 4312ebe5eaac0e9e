package io.cairn.endpoint.plan;

import io.cairn.core.Invariants;

/** A plan's version: positive, assigned by the planner in strictly increasing order. */
public record PlanVersion(long value) implements Comparable<PlanVersion> {
  public PlanVersion {
    Invariants.check(value > 0 && value < 1_000_000, "plan version %d out of range", value);
  }

  public static PlanVersion of(long value) {
    return new PlanVersion(value);
  }

  public PlanVersion next() {
    return new PlanVersion(value + 1);
  }

  public boolean newerThan(PlanVersion other) {
    return other == null || value > other.value;
  }

  /** The DNS label of the plan node, {@code p000145}: readable and sortable. */
  public String label() {
    return String.format("p%06d", value);
  }

  @Override
  public int compareTo(PlanVersion o) {
    return Long.compare(value, o.value);
  }

  @Override
  public String toString() {
    return label();
  }
}
