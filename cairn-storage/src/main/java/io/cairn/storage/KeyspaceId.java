package io.cairn.storage;

import io.cairn.core.id.TableId;

/**
 * The first eight bytes of every key: which table (or, later, which index) a key belongs to.
 * Keyspace 0 is reserved for the engine's own system records (applied log indexes, metadata).
 */
public record KeyspaceId(long value) {
  public static final KeyspaceId SYSTEM = new KeyspaceId(0);

  public KeyspaceId {
    // Non-negative so that the big-endian encoding sorts like the number and the keyspace after
    // the last one still has an encoding (its successor never overflows).
    if (value < 0 || value == Long.MAX_VALUE) {
      throw new IllegalArgumentException("keyspace id out of range: " + value);
    }
  }

  public static KeyspaceId of(TableId tableId) {
    return new KeyspaceId(tableId.value());
  }

  public boolean isSystem() {
    return value == 0;
  }

  @Override
  public String toString() {
    return "ks" + value;
  }
}
