package io.cairn.replication;

import io.cairn.core.Invariants;
import io.cairn.core.id.LogIndex;
import io.cairn.core.id.PartitionId;
import io.cairn.partition.PartitionStats;
import io.cairn.storage.Cursor;
import io.cairn.storage.Direction;
import io.cairn.storage.Durability;
import io.cairn.storage.KeyRange;
import io.cairn.storage.LogId;
import io.cairn.storage.StorageBatch;
import io.cairn.storage.StorageEngine;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A partition replica's state at one log index, as one file: every item in the partition's key
 * range, for a replica that is new or so far behind that the leader no longer has the log it
 * needs. Ratis ships the file; the receiving state machine installs it.
 *
 * <p>Layout: {@code magic:u32, version:u8, partitionId:u64, index:u64, itemCount:u64,
 * sizeBytes:u64, (1:u8, key:bytes, value:bytes)*, 0:u8}.
 */
final class PartitionSnapshot {
  private static final int MAGIC = 0x43534e50; // "CSNP"
  private static final int VERSION = 1;
  /** Operations per engine batch while installing, so one batch stays small. */
  static final int INSTALL_BATCH_OPERATIONS_MAX = 4_096;

  private PartitionSnapshot() {}

  /** Writes the range as it is now; the caller guarantees nothing is applied meanwhile. */
  static void write(Path file, StorageEngine engine, KeyRange range, PartitionId partitionId, long index,
      PartitionStats stats) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16));
         Cursor cursor = engine.cursor(range, Direction.FORWARD)) {
      out.writeInt(MAGIC);
      out.writeByte(VERSION);
      out.writeLong(partitionId.value());
      out.writeLong(index);
      out.writeLong(stats.itemCount());
      out.writeLong(stats.sizeBytes());
      while (cursor.next()) {
        out.writeByte(1);
        writeBytes(out, cursor.key());
        writeBytes(out, cursor.value());
      }
      out.writeByte(0);
    }
    Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Replaces the range's contents with the file's and sets the partition's applied index, the
   * index last, in the final batch: a crash midway leaves the old applied index, and the leader
   * sends the snapshot again.
   *
   * @return the statistics recorded in the snapshot
   */
  static PartitionStats install(Path file, StorageEngine engine, KeyRange range, PartitionId partitionId,
      long expectedIndex) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      Invariants.check(in.readInt() == MAGIC, "%s is not a partition snapshot", file);
      Invariants.check(in.readUnsignedByte() == VERSION, "unknown snapshot version in %s", file);
      long partition = in.readLong();
      long index = in.readLong();
      Invariants.check(partition == partitionId.value() && index == expectedIndex,
          "snapshot %s holds partition %s index %s, expected %s index %s", file, partition, index, partitionId,
          expectedIndex);
      PartitionStats stats = new PartitionStats(in.readLong(), in.readLong());
      StorageBatch batch = engine.newBatch();
      try {
        batch.deleteRange(range);
        while (in.readUnsignedByte() == 1) {
          byte[] key = readBytes(in);
          Invariants.check(range.contains(key), "snapshot key outside partition %s", partitionId);
          batch.put(key, readBytes(in));
          if (batch.operationCount() >= INSTALL_BATCH_OPERATIONS_MAX) {
            engine.commit(batch, Durability.PROCESS_CRASH_SAFE);
            batch.close();
            batch = engine.newBatch();
          }
        }
        engine.commit(batch, LogId.of(partitionId), new LogIndex(index), Durability.FSYNC);
      } finally {
        batch.close();
      }
      return stats;
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    Invariants.check(length >= 0 && length <= 64 << 20, "bad length %s in a snapshot", length);
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }
}
