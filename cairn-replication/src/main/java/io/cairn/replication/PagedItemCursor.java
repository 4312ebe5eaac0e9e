package io.cairn.replication;

import io.cairn.partition.ItemCursor;
import io.cairn.partition.RangeSlice;
import io.cairn.storage.Direction;
import io.cairn.storage.KeyRange;
import java.util.List;

/**
 * Iterates slices on remote partitions a page at a time: each page is one read request to the
 * slice's partition; the next resumes after the last key returned. Pages start small (a Query
 * with a small Limit reads little) and grow tenfold while the reader keeps going.
 */
final class PagedItemCursor implements ItemCursor {

  /** Fetches one page of a slice, at most {@code itemsMax} items. */
  @FunctionalInterface
  interface PageSource {
    ReadCodec.Page fetch(RangeSlice slice, int itemsMax);
  }

  private final List<RangeSlice> slices;
  private final Direction direction;
  private final PageSource source;
  private int sliceIndex = -1;
  private RangeSlice remaining;
  private ReadCodec.Page page;
  private int position;
  private int itemsMax = ReplicatedPartitionAccess.FIRST_PAGE_ITEMS;
  private boolean closed;

  PagedItemCursor(List<RangeSlice> slices, Direction direction, PageSource source) {
    this.slices = List.copyOf(slices);
    this.direction = direction;
    this.source = source;
  }

  @Override
  public boolean next() {
    if (closed) {
      throw new IllegalStateException("cursor is closed");
    }
    while (true) {
      if (page != null && position + 1 < page.keys().size()) {
        position++;
        return true;
      }
      if (page != null && page.more() && !page.keys().isEmpty()) {
        byte[] last = page.keys().get(page.keys().size() - 1);
        KeyRange rest = remaining.range().resumeAfter(last, direction);
        remaining = new RangeSlice(remaining.partitionId(), rest);
        itemsMax = Math.min(itemsMax * 10, ReadCodec.PAGE_ITEMS_MAX);
      } else {
        if (sliceIndex + 1 >= slices.size()) {
          page = null;
          return false;
        }
        remaining = slices.get(++sliceIndex);
      }
      page = remaining.range().isEmpty() ? new ReadCodec.Page(List.of(), List.of(), false) : source.fetch(remaining, itemsMax);
      position = -1;
    }
  }

  @Override
  public byte[] key() {
    return current().keys().get(position);
  }

  @Override
  public byte[] value() {
    return current().values().get(position);
  }

  private ReadCodec.Page current() {
    if (closed || page == null || position < 0) {
      throw new IllegalStateException("cursor is not on a key");
    }
    return page;
  }

  @Override
  public void close() {
    closed = true;
    page = null;
  }
}
