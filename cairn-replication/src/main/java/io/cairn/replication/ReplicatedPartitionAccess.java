package io.cairn.replication;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.cairn.core.id.PartitionId;
import io.cairn.core.value.AttributeValue;
import io.cairn.partition.ItemCursor;
import io.cairn.partition.PartitionAccess;
import io.cairn.partition.RangeSlice;
import io.cairn.partition.WriteCommand;
import io.cairn.partition.WriteOutcome;
import io.cairn.storage.Direction;
import io.cairn.storage.ItemCodec;
import io.cairn.storage.KeyspaceId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * A router's {@link PartitionAccess} to replication groups on storage nodes, over a
 * {@link RemotePartitionClient}. Every replication failure becomes a DynamoDB error a client may
 * retry: {@code ServiceUnavailableException} when the request certainly did not take effect,
 * {@code InternalServerError} when a write may have committed (as DynamoDB's own 500s). A failure
 * tells the routing cache the route may be stale, and replaces the partition's client only if its
 * membership changed.
 */
public final class ReplicatedPartitionAccess implements PartitionAccess {
  /** Items of the first page of a range read; later pages grow tenfold up to the codec's limit. */
  static final int FIRST_PAGE_ITEMS = 100;
  /** Bytes of one range page: a Query or Scan page is 1 MB before its filter. */
  static final int PAGE_BYTES = 1024 * 1024;

  private final RemotePartitionClient client;
  private final Consumer<PartitionId> staleRoute;

  public ReplicatedPartitionAccess(RemotePartitionClient client, Consumer<PartitionId> staleRoute) {
    this.client = client;
    this.staleRoute = staleRoute;
  }

  @Override
  public CompletableFuture<WriteOutcome> write(PartitionId partition, WriteCommand command) {
    try {
      return client.write(partition, command).exceptionallyCompose(error ->
          CompletableFuture.failedFuture(translate(partition, error)));
    } catch (RuntimeException e) {
      // No route yet (the partition is not placed): nothing was sent.
      return CompletableFuture.failedFuture(translate(partition, e));
    }
  }

  @Override
  public Map<String, AttributeValue> read(PartitionId partition, byte[] storageKey, Consistency consistency) {
    byte[] stored = ReadCodec.decodeValue(query(partition, ReadCodec.encodeGet(storageKey), consistency));
    return stored == null ? null : ItemCodec.decode(stored);
  }

  @Override
  public ItemCursor cursor(List<RangeSlice> slices, Direction direction, Consistency consistency) {
    return new PagedItemCursor(slices, direction, (slice, itemsMax) -> ReadCodec.decodePage(query(
        slice.partitionId(), ReadCodec.encodeRange(slice.range(), direction, itemsMax, PAGE_BYTES), consistency)));
  }

  @Override
  public long itemCollectionBytes(PartitionId partition, KeyspaceId base, AttributeValue partitionKey) {
    return ReadCodec.decodeLongs(query(partition, ReadCodec.encodeCollection(base, partitionKey), Consistency.STRONG))[0];
  }

  /**
   * Item count and bytes of a partition (or, with {@code localIndex}, of that LSI's entries in it),
   * from its leader.
   */
  public long[] stats(PartitionId partition, KeyspaceId localIndex) {
    return ReadCodec.decodeLongs(query(partition, ReadCodec.encodeStats(localIndex), Consistency.STRONG));
  }

  private byte[] query(PartitionId partition, byte[] request, Consistency consistency) {
    PartitionClient.ReadConsistency c = consistency == Consistency.STRONG
        ? PartitionClient.ReadConsistency.STRONG : PartitionClient.ReadConsistency.EVENTUAL;
    try {
      return client.query(partition, request, c).join();
    } catch (CompletionException e) {
      throw translate(partition, e);
    } catch (ReplicationException e) {
      throw translate(partition, e);
    }
  }

  private DynamoDbException translate(PartitionId partition, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof DynamoDbException dynamo) {
      return dynamo;
    }
    staleRoute.accept(partition);
    try {
      client.refreshIfMembershipChanged(partition);
    } catch (RuntimeException e) {
      // The directory could not answer (metadata unavailable, partition unplaced): keep the client.
    }
    if (cause instanceof ReplicationException replication && !replication.retrySafe()) {
      return new DynamoDbException(ErrorType.INTERNAL_SERVER_ERROR,
          "The request may or may not have been applied; partition " + partition + " did not answer in time");
    }
    return new DynamoDbException(ErrorType.SERVICE_UNAVAILABLE,
        "Partition " + partition + " is unavailable; retry the request (" + cause.getMessage() + ")");
  }
}
