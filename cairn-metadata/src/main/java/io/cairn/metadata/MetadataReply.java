package io.cairn.metadata;

import java.util.List;

/**
 * What a command or query answers. Every reply that reads state carries the service's
 * {@code revision} at that point, so a cache can order answers that arrive out of order.
 */
public sealed interface MetadataReply {

  record TableWritten(String name, long version) implements MetadataReply {}

  record TableDeleted(String name, long revision) implements MetadataReply {}

  record TableFound(TableRecord table, long revision) implements MetadataReply {}

  record TableAbsent(String name, long revision) implements MetadataReply {}

  record Tables(List<TableRecord> tables, long revision) implements MetadataReply {
    public Tables {
      tables = List.copyOf(tables);
    }
  }

  /** A create found the name taken. */
  record AlreadyExists(String name, long currentVersion) implements MetadataReply {}

  /** A conditional change found another version; {@code currentVersion} is 0 if the thing is gone. */
  record Conflict(String what, long expectedVersion, long currentVersion) implements MetadataReply {}

  record IdsAllocated(IdKind kind, long first, int count) implements MetadataReply {}

  record NodeRecorded(NodeRecord node) implements MetadataReply {}

  record Nodes(List<NodeRecord> nodes, long revision) implements MetadataReply {
    public Nodes {
      nodes = List.copyOf(nodes);
    }
  }

  record PartitionRecorded(PartitionReplicas partition) implements MetadataReply {}

  record PartitionFound(PartitionReplicas partition, long revision) implements MetadataReply {}

  record PartitionAbsent(long partitionId, long revision) implements MetadataReply {}

  record Partitions(List<PartitionReplicas> partitions, long revision) implements MetadataReply {
    public Partitions {
      partitions = List.copyOf(partitions);
    }
  }

  /** The command was malformed or refers to something unknown; never retry it unchanged. */
  record Rejected(String reason) implements MetadataReply {}
}
