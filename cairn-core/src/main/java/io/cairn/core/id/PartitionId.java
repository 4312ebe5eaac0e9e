package io.cairn.core.id;

/** A partition's number, unique across the cluster and never reused. */
public record PartitionId(long value) {
  public PartitionId {
    if (value < 0) {
      throw new IllegalArgumentException("partition id must not be negative: " + value);
    }
  }

  @Override
  public String toString() {
    return String.format("p%06d", value);
  }
}
