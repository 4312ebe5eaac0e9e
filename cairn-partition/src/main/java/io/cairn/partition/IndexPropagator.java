package io.cairn.partition;

import io.cairn.core.id.PartitionId;
import io.cairn.core.value.ItemSize;
import io.cairn.partition.index.IndexCatalog;
import io.cairn.partition.index.IndexPartition;
import io.cairn.partition.index.IndexSpec;
import io.cairn.storage.Durability;
import io.cairn.storage.ItemCodec;
import io.cairn.storage.KeyRange;
import io.cairn.storage.KeyspaceId;
import io.cairn.storage.StorageBatch;
import io.cairn.storage.StorageEngine;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the base partitions' outboxes into the global secondary indexes: one thread, records in
 * (partition, sequence) order, many records per storage batch. Each batch writes the index
 * entries, the GSI partitions' statistics, a per (index, base partition) high-water mark of the
 * applied outbox sequence, and deletes the drained records — atomically, so a record is applied
 * exactly once however the process dies, and a restart resumes from the persisted outbox. The
 * high-water mark makes the apply idempotent also when the outbox and the index live on
 * different nodes (a redelivered record at or below the mark is skipped).
 *
 * <p>Dropping an index's data runs on the same thread, so no change addressed to a deleted index
 * can land after its range deletion.
 */
public final class IndexPropagator implements PartitionApplier.OutboxListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IndexPropagator.class);
  static final String APPLIED_PREFIX = "gsi-applied/";
  private static final long IDLE_WAIT_MS = 50;

  private final StorageEngine engine;
  private final IndexCatalog catalog;
  private final Durability durability;
  private final int batchRecordsMax;
  private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
  private final Map<PartitionId, AtomicLong> pending = new ConcurrentHashMap<>();
  private final AtomicLong appliedRecords = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  public IndexPropagator(StorageEngine engine, IndexCatalog catalog, Durability durability, int batchRecordsMax) {
    this.engine = engine;
    this.catalog = catalog;
    this.durability = durability;
    this.batchRecordsMax = batchRecordsMax;
    for (String name : engine.listMetadata(Outbox.PREFIX).keySet()) {
      PartitionId partition = Outbox.parse(name, new byte[] {1, 0, 0, 0, 0}).partition();
      pending.computeIfAbsent(partition, p -> new AtomicLong()).incrementAndGet();
    }
    long backlog = pendingRecords();
    if (backlog > 0) {
      log.atInfo().setMessage("resuming index propagation from the outbox").addKeyValue("records", backlog).log();
    }
    this.thread = new Thread(this::run, "cairn-index-propagator");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  @Override
  public void written(PartitionId partition, int records) {
    pending.computeIfAbsent(partition, p -> new AtomicLong()).addAndGet(records);
    if (tasks.isEmpty()) {
      tasks.offer(() -> {});
    }
  }

  /** Outbox records of one base partition not yet applied to the indexes (the index lag). */
  public long pendingRecords(PartitionId partition) {
    AtomicLong count = pending.get(partition);
    return count == null ? 0 : count.get();
  }

  public long pendingRecords() {
    long total = 0;
    for (AtomicLong count : pending.values()) {
      total += count.get();
    }
    return total;
  }

  /** Outbox records applied since start (a counter for metrics). */
  public long appliedRecords() {
    return appliedRecords.get();
  }

  /**
   * Removes a global index's entries, statistics and high-water marks, ordered after every
   * change this thread applied before.
   */
  public CompletableFuture<Void> dropIndex(KeyspaceId index, KeyRange range, List<PartitionId> partitions) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    tasks.offer(() -> {
      try (StorageBatch batch = engine.newBatch()) {
        batch.deleteRange(range);
        for (PartitionId partition : partitions) {
          batch.deleteMetadata(PartitionApplier.STATS_PREFIX + partition.value());
        }
        for (String name : engine.listMetadata(appliedPrefix(index)).keySet()) {
          batch.deleteMetadata(name);
        }
        engine.commit(batch, durability);
      }
      done.complete(null);
    });
    return done;
  }

  /** Forgets the lag of partitions whose table was dropped (their records are skipped anyway). */
  public void forget(List<PartitionId> partitions) {
    // The records stay until drained (they are skipped); the counter follows them there.
  }

  private void run() {
    while (running) {
      try {
        Runnable task = tasks.poll(IDLE_WAIT_MS, TimeUnit.MILLISECONDS);
        if (task != null) {
          task.run();
        }
        while (running && drainOnce()) {
          Runnable next;
          while ((next = tasks.poll()) != null) {
            next.run();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) {
        // A storage failure or a bug: say so, and retry from the persisted outbox.
        log.atError().setMessage("index propagation failed; retrying").setCause(e).log();
        try {
          Thread.sleep(IDLE_WAIT_MS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Applies up to one batch of outbox records; false when the outbox was empty. */
  boolean drainOnce() {
    SortedMap<String, byte[]> records = engine.listMetadata(Outbox.PREFIX, batchRecordsMax);
    if (records.isEmpty()) {
      return false;
    }
    Map<ByteBuffer, byte[]> written = new HashMap<>();
    Map<String, PartitionStats> stats = new LinkedHashMap<>();
    Map<String, Long> marks = new LinkedHashMap<>();
    Map<PartitionId, Integer> drained = new HashMap<>();
    try (StorageBatch batch = engine.newBatch()) {
      for (Map.Entry<String, byte[]> record : records.entrySet()) {
        Outbox.Entry entry = Outbox.parse(record.getKey(), record.getValue());
        for (Outbox.Change change : entry.changes()) {
          IndexSpec spec = catalog.globalIndex(change.index());
          if (spec == null) {
            continue; // the index (or its table) was deleted
          }
          String mark = appliedPrefix(change.index()) + String.format("%016x", entry.partition().value());
          long applied = marks.computeIfAbsent(mark, m -> Outbox.decodeLong(engine.getMetadata(m)));
          if (entry.sequence() <= applied) {
            continue;
          }
          apply(spec, change, batch, written, stats);
        }
        for (Outbox.Change change : entry.changes()) {
          String mark = appliedPrefix(change.index()) + String.format("%016x", entry.partition().value());
          if (catalog.globalIndex(change.index()) != null) {
            marks.put(mark, Math.max(marks.getOrDefault(mark, 0L), entry.sequence()));
          }
        }
        batch.deleteMetadata(entry.name());
        drained.merge(entry.partition(), 1, Integer::sum);
      }
      stats.forEach((name, value) -> batch.putMetadata(name, value.encode()));
      marks.forEach((name, value) -> batch.putMetadata(name, Outbox.encodeLong(value)));
      engine.commit(batch, durability);
    }
    drained.forEach((partition, count) -> pending.computeIfAbsent(partition, p -> new AtomicLong()).addAndGet(-count));
    appliedRecords.addAndGet(records.size());
    return true;
  }

  private void apply(
      IndexSpec spec, Outbox.Change change, StorageBatch batch, Map<ByteBuffer, byte[]> written,
      Map<String, PartitionStats> stats) {
    if (change.deleteKey() != null) {
      byte[] existing = lookup(change.deleteKey(), written);
      if (existing != null) {
        batch.delete(change.deleteKey());
        written.put(ByteBuffer.wrap(change.deleteKey()), null);
        addStats(spec, change.deleteKey(), stats, -1, -entryBytes(existing));
      }
    }
    if (change.putKey() != null) {
      byte[] existing = lookup(change.putKey(), written);
      batch.put(change.putKey(), change.putValue());
      written.put(ByteBuffer.wrap(change.putKey()), change.putValue());
      addStats(spec, change.putKey(), stats, existing == null ? 1 : 0,
          entryBytes(change.putValue()) - (existing == null ? 0 : entryBytes(existing)));
    }
  }

  private byte[] lookup(byte[] key, Map<ByteBuffer, byte[]> written) {
    ByteBuffer wrapped = ByteBuffer.wrap(key);
    return written.containsKey(wrapped) ? written.get(wrapped) : engine.get(key);
  }

  private void addStats(IndexSpec spec, byte[] key, Map<String, PartitionStats> stats, long items, long bytes) {
    IndexPartition partition = spec.partitionOf(key);
    String name = PartitionApplier.STATS_PREFIX + partition.partitionId().value();
    PartitionStats current = stats.computeIfAbsent(name, n -> PartitionStats.decode(engine.getMetadata(n)));
    stats.put(name, current.plus(items, bytes));
  }

  private static long entryBytes(byte[] value) {
    return ItemSize.of(ItemCodec.decode(value)) + IndexSpec.ENTRY_OVERHEAD_BYTES;
  }

  private static String appliedPrefix(KeyspaceId index) {
    return APPLIED_PREFIX + String.format("%016x/", index.value());
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
