package io.cairn.storage;

import io.cairn.core.Invariants;
import io.cairn.core.id.LogIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.Env;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.RocksMemEnv;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's state database: every partition replica on the node is a key range in it (see
 * README.md). Thread-safe. Commits for one log must come from that log's apply thread in log
 * order; the engine checks that applied indexes only grow.
 *
 * <p>Every native object the engine creates is released by {@link #close()}, including cursors
 * that callers left open. Operations after close throw {@link IllegalStateException}.
 */
public final class StorageEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StorageEngine.class);
  /** Bytes of {@code keyspace | hash}: the prefix extractor's length and the bloom prefix. */
  static final int PREFIX_BYTES = KeyCodec.PARTITION_KEY_OFFSET;

  private static final AtomicLong inMemoryCounter = new AtomicLong();

  static {
    RocksDB.loadLibrary();
  }

  private final String name;
  private final boolean inMemory;
  private final StorageOptions storageOptions;
  private final Options options;
  private final LRUCache blockCache;
  private final BloomFilter bloomFilter;
  private final Env memEnv;
  private final WriteOptions bufferedWrite;
  private final WriteOptions syncedWrite;
  private final CompactRangeOptions compactRangeOptions;
  private final RocksDB db;
  private final ExecutorService compactionExecutor;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  /** Cursors not yet closed; close() releases them so no iterator outlives the database. */
  private final Set<Cursor> openCursors = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<LogId, AppliedState> applied = new ConcurrentHashMap<>();
  private boolean closed;

  /** The applied index of one log, guarded by its own monitor so commits of a log serialize. */
  private static final class AppliedState {
    long index = -1; // -1: not loaded from disk yet
  }

  private StorageEngine(String path, boolean inMemory, StorageOptions storageOptions) {
    this.name = path;
    this.inMemory = inMemory;
    this.storageOptions = storageOptions;
    this.blockCache = new LRUCache(storageOptions.blockCacheBytes());
    this.bloomFilter = new BloomFilter(storageOptions.bloomBitsPerKey());
    this.memEnv = inMemory ? new RocksMemEnv(Env.getDefault()) : null;
    this.options = buildOptions(storageOptions, blockCache, bloomFilter, memEnv);
    this.bufferedWrite = new WriteOptions().setSync(false);
    this.syncedWrite = new WriteOptions().setSync(true);
    this.compactRangeOptions = new CompactRangeOptions();
    RocksDB opened;
    try {
      opened = RocksDB.open(options, path);
    } catch (RocksDBException e) {
      releaseOptions();
      throw StorageException.wrap("open " + path, e);
    }
    this.db = opened;
    this.compactionExecutor =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "cairn-storage-compact");
              thread.setDaemon(true);
              return thread;
            });
    log.info(
        "storage opened path={} inMemory={} blockCacheBytes={} writeBufferBytes={} backgroundJobsMax={}",
        path,
        inMemory,
        storageOptions.blockCacheBytes(),
        storageOptions.writeBufferBytes(),
        storageOptions.backgroundJobsMax());
  }

  /** Opens (creating if missing) the state database in {@code dir}. */
  public static StorageEngine open(Path dir, StorageOptions storageOptions) {
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new StorageException("cannot create " + dir, e);
    }
    return new StorageEngine(dir.toAbsolutePath().toString(), false, storageOptions);
  }

  /**
   * An engine whose files live in memory ({@code --in-memory}): the same RocksDB code path, WAL
   * and all, over RocksDB's in-memory Env. Everything is gone when it is closed.
   */
  public static StorageEngine openInMemory(StorageOptions storageOptions) {
    String path = "/cairn-in-memory-" + inMemoryCounter.incrementAndGet();
    return new StorageEngine(path, true, storageOptions);
  }

  private static Options buildOptions(
      StorageOptions s, LRUCache blockCache, BloomFilter bloomFilter, Env memEnv) {
    BlockBasedTableConfig table =
        new BlockBasedTableConfig()
            .setBlockCache(blockCache)
            .setFilterPolicy(bloomFilter)
            // Point reads (GetItem) use the whole-key filter; Query of one partition key uses
            // the prefix filter on keyspace|hash, which all of its keys share.
            .setWholeKeyFiltering(true)
            .setCacheIndexAndFilterBlocks(true)
            .setPinL0FilterAndIndexBlocksInCache(true)
            .setBlockSize(16 * 1024)
            .setFormatVersion(6);
    CompressionType compression =
        s.lz4Compression() ? CompressionType.LZ4_COMPRESSION : CompressionType.NO_COMPRESSION;
    Options options =
        new Options()
            .setCreateIfMissing(true)
            .setTableFormatConfig(table)
            .useFixedLengthPrefixExtractor(PREFIX_BYTES)
            .setMemtablePrefixBloomSizeRatio(0.1)
            .setCompressionType(compression)
            .setBottommostCompressionType(compression)
            .setCompactionStyle(CompactionStyle.LEVEL)
            .setLevelCompactionDynamicLevelBytes(true)
            .setWriteBufferSize(s.writeBufferBytes())
            .setMaxWriteBufferNumber(s.writeBuffersMax())
            .setMaxBackgroundJobs(s.backgroundJobsMax())
            .setMaxOpenFiles(s.openFilesMax())
            .setMaxTotalWalSize(s.walBytesMax())
            .setTargetFileSizeBase(s.targetFileBytes())
            .setMaxBytesForLevelBase(s.levelBaseBytes())
            .setBytesPerSync(s.bytesPerSync())
            .setKeepLogFileNum(4)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
    if (memEnv != null) {
      options.setEnv(memEnv);
    }
    return options;
  }

  // ---- Reads -----------------------------------------------------------------------------

  /** The value stored under {@code key}, or null. */
  public byte[] get(byte[] key) {
    readLock();
    try {
      checkOpen();
      return db.get(key);
    } catch (RocksDBException e) {
      throw StorageException.wrap("get", e);
    } finally {
      readUnlock();
    }
  }

  /** A cursor over {@code range}; close it. */
  public Cursor cursor(KeyRange range, Direction direction) {
    byte[] lower = range.lowerUnsafe();
    byte[] upper = range.upperUnsafe();
    // Within one keyspace|hash prefix (a Query of one partition key) RocksDB may use the prefix
    // bloom filters; any wider range must be read in total order.
    boolean prefixSeek =
        lower.length >= PREFIX_BYTES
            && upper.length >= PREFIX_BYTES
            && Arrays.equals(lower, 0, PREFIX_BYTES, upper, 0, PREFIX_BYTES);
    readLock();
    try {
      checkOpen();
      Cursor cursor = new Cursor(this, range, direction, prefixSeek);
      openCursors.add(cursor);
      return cursor;
    } finally {
      readUnlock();
    }
  }

  RocksIterator newIterator(ReadOptions readOptions) {
    return db.newIterator(readOptions);
  }

  void closeCursor(Cursor cursor) {
    // The read lock keeps close() out; remove() decides which of two racing closes releases.
    readLock();
    try {
      if (openCursors.remove(cursor)) {
        cursor.release();
      }
    } finally {
      readUnlock();
    }
  }

  int openCursorCount() {
    return openCursors.size();
  }

  // ---- Writes ----------------------------------------------------------------------------

  public StorageBatch newBatch() {
    return new StorageBatch(storageOptions.batchBytesMax());
  }

  /**
   * Commits {@code batch} atomically together with "log {@code logId} has applied {@code index}".
   * After a crash either both the data and the index are present or neither is, so replay
   * resumes at {@code appliedIndex(logId) + 1} and applies every entry exactly once.
   *
   * @throws Invariants.InvariantViolation if {@code index} is not above the applied index
   */
  public void commit(StorageBatch batch, LogId logId, LogIndex index, Durability durability) {
    byte[] indexKey = SystemKeys.appliedIndexKey(logId);
    AppliedState state = applied.computeIfAbsent(logId, id -> new AppliedState());
    synchronized (state) {
      readLock();
      try {
        checkOpen();
        if (state.index < 0) {
          state.index = loadAppliedIndex(indexKey);
        }
        Invariants.check(
            index.value() > state.index,
            "%s: applied index must grow, but %d follows %d",
            logId,
            index.value(),
            state.index);
        batch.putAppliedIndex(indexKey, index.value());
        db.write(writeOptions(durability), batch.writeBatch());
        state.index = index.value();
        invalidateForgotten(batch);
      } catch (RocksDBException e) {
        // Whether the batch reached the WAL is unknown; reload the index from disk next time.
        state.index = -1;
        throw StorageException.wrap("commit " + logId + " index " + index.value(), e);
      } finally {
        readUnlock();
      }
    }
  }

  /** Commits a batch that belongs to no log (node-local metadata, dropping a table's range). */
  public void commit(StorageBatch batch, Durability durability) {
    readLock();
    try {
      checkOpen();
      db.write(writeOptions(durability), batch.writeBatch());
    } catch (RocksDBException e) {
      throw StorageException.wrap("commit", e);
    } finally {
      readUnlock();
    }
    invalidateForgotten(batch);
  }

  /** Cached indexes of logs the batch forgot are reloaded (as 0) by their next commit. */
  private void invalidateForgotten(StorageBatch batch) {
    for (LogId logId : batch.forgottenLogs()) {
      AppliedState state = applied.get(logId);
      if (state != null) {
        synchronized (state) {
          state.index = -1;
        }
      }
    }
  }

  /** The last index of {@code logId} committed with its data, or {@link LogIndex#NONE}. */
  public LogIndex appliedIndex(LogId logId) {
    readLock();
    try {
      checkOpen();
      return new LogIndex(loadAppliedIndex(SystemKeys.appliedIndexKey(logId)));
    } finally {
      readUnlock();
    }
  }

  private long loadAppliedIndex(byte[] indexKey) {
    byte[] value;
    try {
      value = db.get(indexKey);
    } catch (RocksDBException e) {
      throw StorageException.wrap("read applied index", e);
    }
    if (value == null) {
      return 0;
    }
    Invariants.check(value.length == 8, "applied index record has %d bytes", value.length);
    long index = new ByteReader(value, 0, 8, "applied index").readLongBigEndian();
    Invariants.check(index >= 0, "applied index %d is negative", index);
    return index;
  }

  /**
   * Writes the WAL buffer to the file and, with {@code sync}, fsyncs it: the group commit point
   * after any number of {@link Durability#PROCESS_CRASH_SAFE} commits.
   */
  public void flushWal(boolean sync) {
    readLock();
    try {
      checkOpen();
      // The in-memory Env cannot sync (and has nothing to make durable).
      db.flushWal(sync && !inMemory);
    } catch (RocksDBException e) {
      throw StorageException.wrap("flushWal", e);
    } finally {
      readUnlock();
    }
  }

  /** Flushes the memtables to SST files (and waits), e.g. before measuring disk usage. */
  public void flushMemtables() {
    readLock();
    try (FlushOptions flushOptions = new FlushOptions().setWaitForFlush(true)) {
      checkOpen();
      db.flush(flushOptions);
    } catch (RocksDBException e) {
      throw StorageException.wrap("flush", e);
    } finally {
      readUnlock();
    }
  }

  // ---- Metadata (system area) ------------------------------------------------------------

  public byte[] getMetadata(String name) {
    return get(SystemKeys.metadataKey(name));
  }

  public void putMetadata(String name, byte[] value, Durability durability) {
    try (StorageBatch batch = newBatch()) {
      batch.putMetadata(name, value);
      commit(batch, durability);
    }
  }

  public void deleteMetadata(String name, Durability durability) {
    try (StorageBatch batch = newBatch()) {
      batch.deleteMetadata(name);
      commit(batch, durability);
    }
  }

  /** At most {@code limit} metadata records whose names start with {@code namePrefix}, in name order. */
  public SortedMap<String, byte[]> listMetadata(String namePrefix, int limit) {
    byte[] prefix = SystemKeys.metadataPrefix(namePrefix);
    SortedMap<String, byte[]> result = new TreeMap<>();
    try (Cursor cursor =
        cursor(new KeyRange(prefix, KeyCodec.prefixSuccessor(prefix)), Direction.FORWARD)) {
      while (result.size() < limit && cursor.next()) {
        result.put(SystemKeys.metadataName(cursor.key()), cursor.value());
      }
    }
    return result;
  }

  /** Every metadata record whose name starts with {@code namePrefix}, ordered by name. */
  public SortedMap<String, byte[]> listMetadata(String namePrefix) {
    byte[] prefix = SystemKeys.metadataPrefix(namePrefix);
    SortedMap<String, byte[]> result = new TreeMap<>();
    try (Cursor cursor =
        cursor(new KeyRange(prefix, KeyCodec.prefixSuccessor(prefix)), Direction.FORWARD)) {
      while (cursor.next()) {
        result.put(SystemKeys.metadataName(cursor.key()), cursor.value());
      }
    }
    return result;
  }

  // ---- Ranges, compaction, checkpoints ----------------------------------------------------

  /**
   * Drops every key in {@code range} with one DeleteRange tombstone (DeleteTable, dropping a
   * partition replica). With {@code compactAfter}, a background compaction of the range then
   * reclaims the space; the returned future completes when it has (at once otherwise).
   */
  public CompletableFuture<Void> deleteRange(
      KeyRange range, Durability durability, boolean compactAfter) {
    try (StorageBatch batch = newBatch()) {
      batch.deleteRange(range);
      commit(batch, durability);
    }
    if (!compactAfter) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(() -> compactRange(range), compactionExecutor);
  }

  /** Compacts the SST files overlapping {@code range} (on the calling thread). */
  public void compactRange(KeyRange range) {
    readLock();
    try {
      checkOpen();
      long startNanos = System.nanoTime();
      db.compactRange(null, range.lowerUnsafe(), range.upperUnsafe(), compactRangeOptions);
      log.info(
          "storage range compacted path={} range={} tookMs={}",
          name,
          range,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    } catch (RocksDBException e) {
      throw StorageException.wrap("compactRange " + range, e);
    } finally {
      readUnlock();
    }
  }

  /**
   * A consistent copy of the database in {@code target} (which must not exist yet), made of hard
   * links to the immutable SST files plus a copy of the live WAL: the backup primitive.
   */
  public void checkpoint(Path target) {
    if (inMemory) {
      throw new UnsupportedOperationException("an in-memory engine has no files to checkpoint");
    }
    readLock();
    try (Checkpoint checkpoint = Checkpoint.create(db)) {
      checkOpen();
      checkpoint.createCheckpoint(target.toAbsolutePath().toString());
      log.info("storage checkpoint created path={} target={}", name, target);
    } catch (RocksDBException e) {
      throw StorageException.wrap("checkpoint to " + target, e);
    } finally {
      readUnlock();
    }
  }

  public boolean isInMemory() {
    return inMemory;
  }

  public StorageOptions storageOptions() {
    return storageOptions;
  }

  // ---- Lifecycle -------------------------------------------------------------------------

  void readLock() {
    lifecycle.readLock().lock();
  }

  void readUnlock() {
    lifecycle.readLock().unlock();
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("storage engine " + name + " is closed");
    }
  }

  private WriteOptions writeOptions(Durability durability) {
    return switch (durability) {
      case PROCESS_CRASH_SAFE -> bufferedWrite;
      case FSYNC -> syncedWrite;
    };
  }

  /**
   * Cancels background compactions, closes open cursors, flushes nothing extra (the WAL holds
   * every committed batch) and releases every native object.
   */
  @Override
  public void close() {
    // Ask a running manual compaction to stop before taking the write lock it holds out.
    compactRangeOptions.setCanceled(true);
    compactionExecutor.shutdownNow();
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      int leakedCursors = openCursors.size();
      for (Cursor cursor : new ArrayList<>(openCursors)) {
        cursor.release();
      }
      openCursors.clear();
      if (leakedCursors > 0) {
        log.warn("storage closed with open cursors path={} openCursors={}", name, leakedCursors);
      }
      try {
        db.closeE();
      } catch (RocksDBException e) {
        log.error("storage close failed path={} error={}", name, e.getMessage());
      }
      releaseOptions();
      log.info("storage closed path={}", name);
    } finally {
      lifecycle.writeLock().unlock();
    }
    awaitCompactionExecutor();
  }

  private void awaitCompactionExecutor() {
    try {
      if (!compactionExecutor.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("storage compaction thread did not stop path={}", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void releaseOptions() {
    List<AutoCloseable> natives = new ArrayList<>();
    natives.add(bufferedWrite);
    natives.add(syncedWrite);
    natives.add(compactRangeOptions);
    natives.add(options);
    natives.add(bloomFilter);
    natives.add(blockCache);
    if (memEnv != null) {
      natives.add(memEnv);
    }
    for (AutoCloseable nativeObject : natives) {
      try {
        nativeObject.close();
      } catch (Exception e) {
        log.error("storage release failed path={} error={}", name, e.getMessage());
      }
    }
  }

  @Override
  public String toString() {
    return "StorageEngine[" + name + (inMemory ? ", in memory" : "") + "]";
  }
}
