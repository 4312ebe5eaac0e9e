package io.cairn.partition.index;

import java.util.List;

/**
 * The secondary indexes a base table's writes maintain.
 *
 * @param locals LSIs: written in the same storage batch as the base item
 * @param globals GSIs: written to the partition's outbox in the same batch, applied later by the
 *     propagator
 * @param itemCollectionBytesMax the item-collection size limit (tables with LSIs only)
 */
public record TableIndexes(List<IndexSpec> locals, List<IndexSpec> globals, long itemCollectionBytesMax) {
  public TableIndexes {
    locals = List.copyOf(locals);
    globals = List.copyOf(globals);
  }

  public boolean isEmpty() {
    return locals.isEmpty() && globals.isEmpty();
  }
}
