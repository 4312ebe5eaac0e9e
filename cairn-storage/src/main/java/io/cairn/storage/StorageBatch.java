package io.cairn.storage;

import io.cairn.core.Invariants;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Changes that commit atomically, together with the applied log index, through {@link
 * StorageEngine#commit}. Not thread-safe; close it (or commit it, which does not close it) to free
 * its native memory.
 *
 * <p>Item puts and deletes may not touch keyspace 0: the engine's own records change only through
 * the dedicated methods, so a bug in key construction cannot overwrite an applied index.
 */
public final class StorageBatch implements AutoCloseable {
  private final WriteBatch batch = new WriteBatch();
  private final long batchBytesMax;
  private long dataBytes;
  private int operationCount;
  private boolean closed;
  private final List<LogId> forgottenLogs = new ArrayList<>();

  StorageBatch(long batchBytesMax) {
    this.batchBytesMax = batchBytesMax;
  }

  public StorageBatch put(byte[] key, byte[] value) {
    checkItemKey(key);
    account(key.length + value.length);
    try {
      batch.put(key, value);
    } catch (RocksDBException e) {
      throw StorageException.wrap("batch put", e);
    }
    return this;
  }

  public StorageBatch delete(byte[] key) {
    checkItemKey(key);
    account(key.length);
    try {
      batch.delete(key);
    } catch (RocksDBException e) {
      throw StorageException.wrap("batch delete", e);
    }
    return this;
  }

  /** Deletes every key in the range with one tombstone, however many keys it holds. */
  public StorageBatch deleteRange(KeyRange range) {
    checkItemKey(range.lowerUnsafe());
    checkItemKey(range.upperUnsafe());
    account(range.lowerUnsafe().length + range.upperUnsafe().length);
    try {
      batch.deleteRange(range.lowerUnsafe(), range.upperUnsafe());
    } catch (RocksDBException e) {
      throw StorageException.wrap("batch deleteRange", e);
    }
    return this;
  }

  /** Sets a metadata record in the system area (for example the table catalog). */
  public StorageBatch putMetadata(String name, byte[] value) {
    byte[] key = SystemKeys.metadataKey(name);
    account(key.length + value.length);
    try {
      batch.put(key, value);
    } catch (RocksDBException e) {
      throw StorageException.wrap("batch putMetadata", e);
    }
    return this;
  }

  public StorageBatch deleteMetadata(String name) {
    byte[] key = SystemKeys.metadataKey(name);
    account(key.length);
    try {
      batch.delete(key);
    } catch (RocksDBException e) {
      throw StorageException.wrap("batch deleteMetadata", e);
    }
    return this;
  }

  /** Removes a log's applied index, for a replica that is being dropped or rebuilt. */
  public StorageBatch forgetAppliedIndex(LogId logId) {
    byte[] key = SystemKeys.appliedIndexKey(logId);
    account(key.length);
    try {
      batch.delete(key);
    } catch (RocksDBException e) {
      throw StorageException.wrap("batch forgetAppliedIndex", e);
    }
    forgottenLogs.add(logId);
    return this;
  }

  void putAppliedIndex(byte[] key, long index) {
    ByteWriter value = new ByteWriter(8);
    value.writeLongBigEndian(index);
    try {
      batch.put(key, value.toByteArray());
    } catch (RocksDBException e) {
      throw StorageException.wrap("batch putAppliedIndex", e);
    }
  }

  List<LogId> forgottenLogs() {
    return forgottenLogs;
  }

  public int operationCount() {
    return operationCount;
  }

  /** Bytes of keys and values added so far (RocksDB's own framing is not counted). */
  public long dataBytes() {
    return dataBytes;
  }

  WriteBatch writeBatch() {
    Invariants.check(!closed, "batch used after close");
    return batch;
  }

  private void account(long bytes) {
    if (closed) {
      throw new IllegalStateException("batch is closed");
    }
    if (dataBytes + bytes > batchBytesMax) {
      throw new IllegalArgumentException(
          "write batch would exceed batchBytesMax " + batchBytesMax + " bytes");
    }
    dataBytes += bytes;
    operationCount++;
  }

  private static void checkItemKey(byte[] key) {
    if (SystemKeys.isSystemKey(key)) {
      throw new IllegalArgumentException(
          "key " + Arrays.toString(Arrays.copyOf(key, Math.min(key.length, 9)))
              + " is in the reserved system keyspace 0");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      batch.close();
    }
  }
}
