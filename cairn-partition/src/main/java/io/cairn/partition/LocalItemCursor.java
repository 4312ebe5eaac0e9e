package io.cairn.partition;

import io.cairn.storage.Cursor;
import io.cairn.storage.Direction;
import io.cairn.storage.StorageEngine;
import java.util.List;

/** Slices read one after the other straight from this process's storage engine. */
final class LocalItemCursor implements ItemCursor {
  private final StorageEngine engine;
  private final List<RangeSlice> slices;
  private final Direction direction;
  private int nextSlice;
  private Cursor current;

  LocalItemCursor(StorageEngine engine, List<RangeSlice> slices, Direction direction) {
    this.engine = engine;
    this.slices = List.copyOf(slices);
    this.direction = direction;
  }

  @Override
  public boolean next() {
    while (true) {
      if (current != null && current.next()) {
        return true;
      }
      if (current != null) {
        current.close();
        current = null;
      }
      if (nextSlice == slices.size()) {
        return false;
      }
      current = engine.cursor(slices.get(nextSlice++).range(), direction);
    }
  }

  @Override
  public byte[] key() {
    return current.key();
  }

  @Override
  public byte[] value() {
    return current.value();
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
      current = null;
    }
    nextSlice = slices.size();
  }
}
