package io.cairn.partition;

/**
 * Iterates stored items in key order (or reverse): {@code while (cursor.next()) use(cursor.key(),
 * cursor.value())}. Values are {@link io.cairn.storage.ItemCodec} bytes. Not thread-safe; close it.
 */
public interface ItemCursor extends AutoCloseable {
  boolean next();

  byte[] key();

  byte[] value();

  @Override
  void close();
}
