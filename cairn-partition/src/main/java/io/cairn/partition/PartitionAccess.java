package io.cairn.partition;

import io.cairn.core.id.PartitionId;
import io.cairn.core.value.AttributeValue;
import io.cairn.storage.Direction;
import io.cairn.storage.KeyspaceId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How a request router reaches the partitions that hold a table's items, wherever they are: the
 * partitions of this process ({@link PartitionHost}), or replication groups on storage nodes
 * reached over RPC (the replication module's implementation). The router decides which
 * partition a key or a key range belongs to; this interface only carries the work there.
 *
 * <p>Failures are {@link io.cairn.core.error.DynamoDbException}s with DynamoDB's error types (thrown
 * by the blocking methods, or completing the write's future exceptionally), so the router never
 * sees a transport's exception.
 */
public interface PartitionAccess {

  /** Strongly consistent reads see every acknowledged write; eventually consistent ones may lag. */
  enum Consistency { STRONG, EVENTUAL }

  /** Appends a write to a partition's log; completes once it is applied and durable. */
  CompletableFuture<WriteOutcome> write(PartitionId partition, WriteCommand command);

  /** The item stored under {@code storageKey} in {@code partition}, or null. Blocks. */
  Map<String, AttributeValue> read(PartitionId partition, byte[] storageKey, Consistency consistency);

  /**
   * A cursor over the slices in order (each slice a key range inside one partition), in
   * {@code direction}; the caller closes it. The slices come in the order the cursor visits them.
   */
  ItemCursor cursor(List<RangeSlice> slices, Direction direction, Consistency consistency);

  /** Bytes of one item collection (items and LSI entries of one partition key) of a table with LSIs. */
  long itemCollectionBytes(PartitionId partition, KeyspaceId base, AttributeValue partitionKey);
}
