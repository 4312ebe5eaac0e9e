package io.cairn.replication;

import io.cairn.core.id.PartitionId;
import io.cairn.partition.WriteCommand;
import io.cairn.partition.WriteOutcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How a router reaches partitions: writes go to the group's leader and complete with the
 * outcome the state machine computed; reads are strong (on the leader, linearizable) or
 * eventual (any full replica, possibly stale, never a value that was not written).
 *
 * <p>Futures fail with {@link ReplicationException}. Implementations: {@link LocalPartitionClient}
 * (in-process, for the partitions this node leads) and {@link RemotePartitionClient} (Ratis client).
 */
public interface PartitionClient extends AutoCloseable {

  enum ReadConsistency { STRONG, EVENTUAL }

  CompletableFuture<WriteOutcome> write(PartitionId partitionId, WriteCommand command);

  /** Writes the commands as one log entry, applied in order; one outcome per command. */
  CompletableFuture<List<WriteOutcome>> writeAll(PartitionId partitionId, List<WriteCommand> commands);

  /** The stored item bytes ({@link io.cairn.storage.ItemCodec}) under {@code storageKey}, or null. */
  CompletableFuture<byte[]> get(PartitionId partitionId, byte[] storageKey, ReadConsistency consistency);

  @Override
  void close();
}
