package io.cairn.router.table;

import io.cairn.core.id.PartitionId;
import io.cairn.partition.PartitionHost;
import io.cairn.partition.index.IndexSpec;
import io.cairn.storage.Cursor;
import io.cairn.storage.Direction;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyRange;
import io.cairn.storage.KeyspaceId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backfills a GSI created on a live table: scans the table in key order, a chunk at a time, and
 * hands each chunk's keys to the owning partition's applier ({@link PartitionHost#backfill}),
 * which writes outbox records stating each item as it is at that point of the partition's order,
 * so backfill and concurrent writes reach the index in one consistent order. Chunks are paced
 * (items per second) on one scheduled thread, so a backfill never takes more than its share of
 * the write queue from user traffic. Progress (resume key and items scanned) is persisted after
 * every chunk, so a restart resumes where the backfill stood.
 */
public final class IndexBackfiller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IndexBackfiller.class);
  static final String PROGRESS_PREFIX = "backfill/";

  private final TableCatalog catalog;
  private final PartitionHost partitions;
  private final BiConsumer<String, String> onFinished;
  private final int itemsPerSecond;
  private final int chunkItems;
  private final ScheduledExecutorService executor;
  private final Map<String, Progress> progress = new ConcurrentHashMap<>();

  /** How far a backfill is: base items scanned so far. */
  public record Progress(long scannedItems, boolean done) {}

  /**
   * @param onFinished called with (table, index) when a backfill scanned the whole table
   * @param itemsPerSecond pace of the scan
   * @param chunkItems base items per chunk (one applier step each)
   */
  public IndexBackfiller(
      TableCatalog catalog, PartitionHost partitions, BiConsumer<String, String> onFinished, int itemsPerSecond,
      int chunkItems) {
    if (itemsPerSecond < 1 || chunkItems < 1) {
      throw new IllegalArgumentException("need itemsPerSecond >= 1 and chunkItems >= 1");
    }
    this.catalog = catalog;
    this.partitions = partitions;
    this.onFinished = onFinished;
    this.itemsPerSecond = itemsPerSecond;
    this.chunkItems = chunkItems;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "cairn-index-backfill");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Resumes every backfill a previous run left unfinished. */
  public void resumeAll() {
    for (TableDefinition table : catalog.all()) {
      for (IndexDefinition index : table.globalIndexes()) {
        if (index.backfilling()) {
          start(table.name(), index.name());
        }
      }
    }
  }

  public void start(String tableName, String indexName) {
    executor.execute(() -> step(tableName, indexName));
  }

  /** The progress of a backfill in this process, or null if none ran here. */
  public Progress progress(String tableName, String indexName) {
    return progress.get(tableName + "/" + indexName);
  }

  private void step(String tableName, String indexName) {
    try {
      TableDefinition table = catalog.find(tableName);
      IndexDefinition index = table == null ? null : table.index(indexName);
      if (index == null || !index.backfilling()) {
        progress.remove(tableName + "/" + indexName);
        return; // the table or index was deleted meanwhile
      }
      String progressName = PROGRESS_PREFIX + String.format("%016x", index.keyspaceId());
      byte[] stored = partitions.getMetadata(progressName);
      long scanned = 0;
      KeyRange range = KeyCodec.keyspaceRange(KeyspaceId.of(table.tableId()));
      if (stored != null) {
        ByteBuffer buffer = ByteBuffer.wrap(stored);
        scanned = buffer.getLong();
        byte[] resumeAfter = new byte[buffer.remaining()];
        buffer.get(resumeAfter);
        range = range.resumeAfter(resumeAfter, Direction.FORWARD);
      }
      List<byte[]> keys = new ArrayList<>(chunkItems);
      try (Cursor cursor = partitions.cursor(range, Direction.FORWARD)) {
        while (keys.size() < chunkItems && cursor.next()) {
          keys.add(cursor.key());
        }
      }
      if (keys.isEmpty()) {
        partitions.deleteMetadata(progressName);
        progress.put(tableName + "/" + indexName, new Progress(scanned, true));
        log.atInfo().setMessage("index backfill finished").addKeyValue("table", tableName)
            .addKeyValue("index", indexName).addKeyValue("scannedItems", scanned).log();
        onFinished.accept(tableName, indexName);
        return;
      }
      IndexSpec spec = index.spec(table);
      Map<PartitionId, List<byte[]>> byPartition = new LinkedHashMap<>();
      for (byte[] key : keys) {
        long hash = ByteBuffer.wrap(key, 8, 8).getLong();
        byPartition.computeIfAbsent(table.partitionFor(hash).partitionId(), p -> new ArrayList<>()).add(key);
      }
      for (Map.Entry<PartitionId, List<byte[]>> chunk : byPartition.entrySet()) {
        partitions.backfill(chunk.getKey(), spec, chunk.getValue()).join();
      }
      scanned += keys.size();
      byte[] last = keys.get(keys.size() - 1);
      partitions.putMetadata(progressName, ByteBuffer.allocate(8 + last.length).putLong(scanned).put(last).array());
      progress.put(tableName + "/" + indexName, new Progress(scanned, false));
      long delayMs = Math.max(0, keys.size() * 1000L / itemsPerSecond);
      executor.schedule(() -> step(tableName, indexName), delayMs, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // Most likely the write queue was full (throttled): back off and try the same chunk again.
      log.atWarn().setMessage("index backfill step failed; retrying").addKeyValue("table", tableName)
          .addKeyValue("index", indexName).setCause(e).log();
      executor.schedule(() -> step(tableName, indexName), 1, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
