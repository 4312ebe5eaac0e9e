package io.cairn.metadata;

import io.cairn.core.id.PartitionId;
import java.util.Objects;

/** A read of the metadata service's state: answered by {@link MetadataState#query}, not logged. */
public sealed interface MetadataQuery {

  record GetTable(String name) implements MetadataQuery {
    public GetTable {
      Objects.requireNonNull(name, "name");
    }
  }

  record ListTables() implements MetadataQuery {}

  record GetPartition(PartitionId partitionId) implements MetadataQuery {
    public GetPartition {
      Objects.requireNonNull(partitionId, "partitionId");
    }
  }

  record ListNodes() implements MetadataQuery {}

  /** Every partition assignment (storage nodes reconcile their replicas with it; auto-admin plans on it). */
  record ListPartitions() implements MetadataQuery {}
}
