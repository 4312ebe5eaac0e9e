package io.cairn.storage;

import io.cairn.core.id.PartitionId;

/** Which command log an applied index belongs to: normally one partition's replication group. */
public record LogId(long value) {
  public LogId {
    if (value < 0) {
      throw new IllegalArgumentException("log id must not be negative: " + value);
    }
  }

  public static LogId of(PartitionId partitionId) {
    return new LogId(partitionId.value());
  }

  @Override
  public String toString() {
    return "log" + value;
  }
}
