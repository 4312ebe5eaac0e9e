package io.cairn.storage;

import java.util.Arrays;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * Iterates the keys of one {@link KeyRange}, forward or in reverse, over a consistent view (the
 * implicit snapshot RocksDB takes when the iterator is created). The range bounds are set on the
 * RocksDB read options, so RocksDB itself stops at the end of the range and skips the tombstones
 * beyond it. Not thread-safe; must be closed (try-with-resources), which also happens when the
 * engine closes.
 *
 * <pre>
 * try (Cursor cursor = engine.cursor(range, Direction.FORWARD)) {
 *   while (cursor.next()) { use(cursor.key(), cursor.value()); }
 * }
 * </pre>
 */
public final class Cursor implements AutoCloseable {
  private final StorageEngine engine;
  private final KeyRange range;
  private final Direction direction;
  private final Slice lowerBound;
  private final Slice upperBound;
  private final ReadOptions readOptions;
  private final RocksIterator iterator;
  private boolean started;
  private boolean exhausted;
  private boolean closed;

  Cursor(StorageEngine engine, KeyRange range, Direction direction, boolean prefixSeek) {
    this.engine = engine;
    this.range = range;
    this.direction = direction;
    this.lowerBound = new Slice(range.lowerUnsafe());
    this.upperBound = new Slice(range.upperUnsafe());
    this.readOptions =
        new ReadOptions()
            .setIterateLowerBound(lowerBound)
            .setIterateUpperBound(upperBound)
            .setTotalOrderSeek(!prefixSeek)
            .setPrefixSameAsStart(prefixSeek);
    this.iterator = engine.newIterator(readOptions);
    this.exhausted = range.isEmpty();
  }

  /** Moves to the next key in the cursor's direction; false at the end of the range. */
  public boolean next() {
    if (closed) {
      throw new IllegalStateException("cursor is closed");
    }
    if (exhausted) {
      return false;
    }
    engine.readLock();
    try {
      engine.checkOpen();
      if (!started) {
        started = true;
        switch (direction) {
          case FORWARD -> iterator.seek(range.lowerUnsafe());
          case REVERSE -> {
            iterator.seekForPrev(range.upperUnsafe());
            if (iterator.isValid() && Arrays.equals(iterator.key(), range.upperUnsafe())) {
              iterator.prev();
            }
          }
        }
      } else {
        switch (direction) {
          case FORWARD -> iterator.next();
          case REVERSE -> iterator.prev();
        }
      }
      if (!iterator.isValid()) {
        exhausted = true;
        checkStatus();
        return false;
      }
      return true;
    } finally {
      engine.readUnlock();
    }
  }

  /** The current key; valid after {@link #next()} returned true. */
  public byte[] key() {
    engine.readLock();
    try {
      checkPositioned();
      return iterator.key();
    } finally {
      engine.readUnlock();
    }
  }

  public byte[] value() {
    engine.readLock();
    try {
      checkPositioned();
      return iterator.value();
    } finally {
      engine.readUnlock();
    }
  }

  public KeyRange range() {
    return range;
  }

  public Direction direction() {
    return direction;
  }

  private void checkPositioned() {
    if (closed || !started || exhausted) {
      throw new IllegalStateException("cursor is not on a key");
    }
  }

  private void checkStatus() {
    try {
      iterator.status();
    } catch (RocksDBException e) {
      throw StorageException.wrap("cursor", e);
    }
  }

  @Override
  public void close() {
    engine.closeCursor(this);
  }

  /** Frees the native objects; called by the engine, which tracks open cursors. */
  void release() {
    if (closed) {
      return;
    }
    closed = true;
    iterator.close();
    readOptions.close();
    lowerBound.close();
    upperBound.close();
  }
}
