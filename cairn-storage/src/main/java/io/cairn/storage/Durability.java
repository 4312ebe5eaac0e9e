package io.cairn.storage;

/** How far a commit goes before it returns. The WAL is always on. */
public enum Durability {
  /**
   * Written to the WAL file (in the OS page cache) before returning: survives a crash of the
   * process, not a crash of the machine. Follow with {@link StorageEngine#flushWal(boolean)
   * flushWal(true)} to make a group of such commits durable with one fsync.
   */
  PROCESS_CRASH_SAFE,
  /** The WAL is fsynced before returning: survives power loss. */
  FSYNC
}
