package io.cairn.partition;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.cairn.core.id.PartitionId;
import io.cairn.core.value.AttributeValue;
import io.cairn.partition.index.IndexCatalog;
import io.cairn.partition.index.IndexSpec;
import io.cairn.storage.Cursor;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyspaceId;
import io.cairn.storage.Direction;
import io.cairn.storage.ItemCodec;
import io.cairn.storage.KeyRange;
import io.cairn.storage.LogId;
import io.cairn.storage.StorageBatch;
import io.cairn.storage.StorageEngine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions of one storage node, in a single process: each partition's commands form an
 * ordered log, applied one at a time to the node's storage engine with the log index written in the
 * same batch as the data.
 *
 * <p>One applier thread drains a bounded queue and applies many commands per storage batch (group
 * commit), so a burst of small writes costs one WAL write. Reads go straight to the engine: a write
 * is acknowledged only after its batch committed, so a read that starts after an acknowledgement
 * sees it (strong consistency on the one replica there is). When partitions become Ratis groups,
 * the log moves into Ratis and this class's apply step becomes their state machine; the semantics
 * ({@link ItemMutation} in log order) stay the same.
 */
public final class PartitionHost implements PartitionAccess, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PartitionHost.class);

  private final StorageEngine engine;
  private final PartitionHostOptions options;
  private final BlockingQueue<Pending> queue;
  private final Thread applierThread;
  private final PartitionApplier applier;
  private final Map<PartitionId, PartitionState> partitions = new HashMap<>();
  private volatile boolean running = true;

  public PartitionHost(StorageEngine engine, PartitionHostOptions options) {
    this(engine, options, IndexCatalog.NONE, PartitionApplier.OutboxListener.NONE);
  }

  /** A host whose partitions maintain the secondary indexes {@code indexes} describes. */
  public PartitionHost(
      StorageEngine engine, PartitionHostOptions options, IndexCatalog indexes,
      PartitionApplier.OutboxListener outboxListener) {
    this.engine = engine;
    this.options = options;
    this.applier = new PartitionApplier(engine, indexes, outboxListener);
    this.queue = new ArrayBlockingQueue<>(options.writeQueueDepthMax());
    this.applierThread = new Thread(this::applyLoop, "cairn-applier");
    this.applierThread.setDaemon(true);
    this.applierThread.start();
  }

  /** Appends a write to a partition's log; completes once it is applied and durable. */
  @Override
  public CompletableFuture<WriteOutcome> write(PartitionId partition, WriteCommand command) {
    CompletableFuture<WriteOutcome> result = new CompletableFuture<>();
    enqueue(new Pending.Write(partition, command, result));
    return result;
  }

  /**
   * Removes every key in {@code range}, ordered after all writes queued before it, and forgets
   * the given partitions' applied indexes and statistics.
   */
  public CompletableFuture<Void> drop(KeyRange range, List<PartitionId> droppedPartitions) {
    return drop(range, droppedPartitions, List.of());
  }

  /**
   * Like {@link #drop(KeyRange, List)}, and also deletes the metadata records whose names start
   * with one of {@code metadataPrefixes} (index statistics, item-collection sizes).
   */
  public CompletableFuture<Void> drop(KeyRange range, List<PartitionId> droppedPartitions, List<String> metadataPrefixes) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    enqueue(new Pending.Drop(range, List.copyOf(droppedPartitions), List.copyOf(metadataPrefixes), result));
    return result;
  }

  /**
   * Queues outbox records that put the given base items' entries into a new global index (one
   * backfill step), ordered with the partition's writes; completes with the entries queued.
   */
  public CompletableFuture<Integer> backfill(PartitionId partition, IndexSpec index, List<byte[]> baseKeys) {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    enqueue(new Pending.Backfill(partition, index, List.copyOf(baseKeys), result));
    return result;
  }

  /** Entry count and bytes of a local index within one base partition. */
  public PartitionStats localIndexStats(KeyspaceId index, PartitionId partition) {
    return localIndexStats(engine, index, partition);
  }

  /** Entry count and bytes of a local index within one base partition, as the applier keeps them in {@code engine}. */
  public static PartitionStats localIndexStats(StorageEngine engine, KeyspaceId index, PartitionId partition) {
    return PartitionStats.decode(engine.getMetadata(IndexWrites.indexStatsName(index, partition)));
  }

  @Override
  public long itemCollectionBytes(PartitionId partition, KeyspaceId base, AttributeValue partitionKey) {
    return itemCollectionBytes(base, partitionKey);
  }

  /** Bytes of one item collection (items and LSI entries of one partition key) of a table with LSIs. */
  public long itemCollectionBytes(KeyspaceId base, AttributeValue partitionKey) {
    return itemCollectionBytes(engine, base, partitionKey);
  }

  /** Bytes of one item collection as the applier keeps it in {@code engine}'s metadata. */
  public static long itemCollectionBytes(StorageEngine engine, KeyspaceId base, AttributeValue partitionKey) {
    byte[] prefix = KeyCodec.partitionPrefix(base, partitionKey);
    return Outbox.decodeLong(engine.getMetadata(
        IndexWrites.collectionPrefix(base) + java.util.HexFormat.of().formatHex(prefix, 8, prefix.length)));
  }

  /** Metadata names a dropped table leaves behind: its item-collection sizes and LSI statistics. */
  public static List<String> tableMetadataPrefixes(KeyspaceId base, List<KeyspaceId> localIndexes) {
    List<String> prefixes = new ArrayList<>();
    prefixes.add(IndexWrites.collectionPrefix(base));
    for (KeyspaceId index : localIndexes) {
      prefixes.add(PartitionApplier.INDEX_STATS_PREFIX + String.format("%016x/", index.value()));
    }
    return prefixes;
  }

  /** A node-local metadata record (e.g. backfill progress), or null. */
  public byte[] getMetadata(String name) {
    return engine.getMetadata(name);
  }

  public void putMetadata(String name, byte[] value) {
    engine.putMetadata(name, value, options.durability());
  }

  public void deleteMetadata(String name) {
    engine.deleteMetadata(name, options.durability());
  }

  /** The current item at a storage key, or null. */
  public Map<String, AttributeValue> read(byte[] storageKey) {
    byte[] value = engine.get(storageKey);
    return value == null ? null : ItemCodec.decode(value);
  }

  /**
   * Reads go straight to the engine, whatever the consistency asked: a write is acknowledged only
   * after its batch committed, so the one replica there is is always up to date.
   */
  @Override
  public Map<String, AttributeValue> read(PartitionId partition, byte[] storageKey, Consistency consistency) {
    return read(storageKey);
  }

  @Override
  public ItemCursor cursor(List<RangeSlice> slices, Direction direction, Consistency consistency) {
    return new LocalItemCursor(engine, slices, direction);
  }

  /** A cursor over committed items in a key range; the caller closes it. */
  public Cursor cursor(KeyRange range, Direction direction) {
    return engine.cursor(range, direction);
  }

  /** Item count and bytes of a partition as of the last applied command. */
  public PartitionStats stats(PartitionId partition) {
    PartitionState state;
    synchronized (partitions) {
      state = partitions.get(partition);
    }
    return state != null ? state.position.stats() : applier.load(partition).stats();
  }

  private void enqueue(Pending pending) {
    if (!running) {
      pending.fail(new DynamoDbException(ErrorType.SERVICE_UNAVAILABLE, "The server is shutting down"));
      return;
    }
    if (!queue.offer(pending)) {
      pending.fail(new DynamoDbException(ErrorType.THROTTLING,
          "Rate of requests exceeds the allowed throughput: the write queue of this node is full"));
    }
  }

  // ---- the applier -----------------------------------------------------------------------------

  private void applyLoop() {
    List<Pending> group = new ArrayList<>(options.applyBatchCommandsMax());
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group, options.applyBatchCommandsMax() - 1);
        applyGroup(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | Error e) {
        // A failure here is a bug or a storage failure: fail the group, keep the node alive for
        // reads, and say so loudly.
        log.atError().setMessage("applying a group of commands failed").addKeyValue("commands", group.size())
            .setCause(e).log();
        for (Pending pending : group) {
          pending.fail(DynamoDbException.internal("Internal server error"));
        }
      } finally {
        group.clear();
      }
    }
  }

  /**
   * Applies a group of queued commands in queue order: consecutive writes are bucketed by
   * partition and each partition's bucket is committed as one batch with that partition's applied
   * index (as each replication group's state machine will commit its own entries); a drop is
   * committed on its own, after everything queued before it.
   */
  private void applyGroup(List<Pending> group) {
    List<Runnable> completions = new ArrayList<>(group.size());
    Map<PartitionId, List<Pending.Write>> buckets = new LinkedHashMap<>();
    for (Pending pending : group) {
      switch (pending) {
        case Pending.Write write -> buckets.computeIfAbsent(write.partition(), id -> new ArrayList<>()).add(write);
        case Pending.Drop drop -> {
          commitBuckets(buckets, completions);
          buckets.clear();
          applyDrop(drop);
          completions.add(() -> drop.result().complete(null));
        }
        case Pending.Backfill backfill -> {
          commitBuckets(buckets, completions);
          buckets.clear();
          int queued = applier.backfill(backfill.partition(), backfill.index(), backfill.baseKeys(), options.durability());
          completions.add(() -> backfill.result().complete(queued));
        }
      }
    }
    commitBuckets(buckets, completions);
    for (Runnable completion : completions) {
      completion.run();
    }
  }

  private void commitBuckets(Map<PartitionId, List<Pending.Write>> buckets, List<Runnable> completions) {
    for (Map.Entry<PartitionId, List<Pending.Write>> bucket : buckets.entrySet()) {
      PartitionState state = state(bucket.getKey());
      List<WriteCommand> commands = new ArrayList<>(bucket.getValue().size());
      for (Pending.Write write : bucket.getValue()) {
        commands.add(write.command());
      }
      PartitionApplier.Applied applied = applier.apply(state.position, commands, options.durability());
      state.position = applied.position();
      for (int i = 0; i < commands.size(); i++) {
        Pending.Write write = bucket.getValue().get(i);
        WriteOutcome outcome = applied.outcomes().get(i);
        completions.add(() -> write.result().complete(outcome));
      }
    }
  }

  private void applyDrop(Pending.Drop drop) {
    try (StorageBatch batch = engine.newBatch()) {
      batch.deleteRange(drop.range());
      for (PartitionId partition : drop.partitions()) {
        batch.forgetAppliedIndex(LogId.of(partition));
        batch.deleteMetadata(PartitionApplier.STATS_PREFIX + partition.value());
        batch.deleteMetadata(Outbox.sequenceName(partition));
      }
      for (String prefix : drop.metadataPrefixes()) {
        for (String name : engine.listMetadata(prefix).keySet()) {
          batch.deleteMetadata(name);
        }
      }
      engine.commit(batch, options.durability());
    }
    synchronized (partitions) {
      drop.partitions().forEach(partitions::remove);
    }
  }

  private PartitionState state(PartitionId partition) {
    synchronized (partitions) {
      return partitions.computeIfAbsent(partition, id -> new PartitionState(applier.load(id)));
    }
  }


  /** Stops taking commands, applies those already queued, and stops the applier. */
  @Override
  public void close() {
    running = false;
    try {
      applierThread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A partition's position, owned by the applier thread (read by others, hence volatile). */
  private static final class PartitionState {
    volatile PartitionApplier.Position position;

    PartitionState(PartitionApplier.Position position) {
      this.position = position;
    }
  }

  private sealed interface Pending {
    void fail(DynamoDbException error);

    record Write(PartitionId partition, WriteCommand command, CompletableFuture<WriteOutcome> result) implements Pending {
      @Override
      public void fail(DynamoDbException error) {
        result.completeExceptionally(error);
      }
    }

    record Drop(KeyRange range, List<PartitionId> partitions, List<String> metadataPrefixes,
        CompletableFuture<Void> result) implements Pending {
      @Override
      public void fail(DynamoDbException error) {
        result.completeExceptionally(error);
      }
    }

    record Backfill(PartitionId partition, IndexSpec index, List<byte[]> baseKeys, CompletableFuture<Integer> result)
        implements Pending {
      @Override
      public void fail(DynamoDbException error) {
        result.completeExceptionally(error);
      }
    }
  }
}
