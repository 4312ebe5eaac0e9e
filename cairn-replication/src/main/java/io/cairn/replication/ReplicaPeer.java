package io.cairn.replication;

import java.util.Objects;

/**
 * One member of a partition's replication group.
 *
 * @param nodeId the storage node's name (e.g. {@code storage-az1-1}); its Ratis peer id
 * @param address host:port of the node's Ratis server
 * @param priority leader preference: Ratis hands leadership to a caught-up member of higher
 *     priority; a log replica has {@link #LOG_REPLICA_PRIORITY}
 * @param logReplica whether this member keeps only the log
 */
public record ReplicaPeer(String nodeId, String address, int priority, boolean logReplica) {
  public static final int LOG_REPLICA_PRIORITY = 0;
  public static final int DEFAULT_PRIORITY = 1;

  public ReplicaPeer {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(address, "address");
    if (logReplica && priority != LOG_REPLICA_PRIORITY) {
      throw new IllegalArgumentException("a log replica runs at priority " + LOG_REPLICA_PRIORITY);
    }
  }

  public static ReplicaPeer full(String nodeId, String address) {
    return new ReplicaPeer(nodeId, address, DEFAULT_PRIORITY, false);
  }

  public static ReplicaPeer log(String nodeId, String address) {
    return new ReplicaPeer(nodeId, address, LOG_REPLICA_PRIORITY, true);
  }
}
