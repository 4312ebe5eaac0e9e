package io.cairn.replication;

import io.cairn.core.Invariants;
import io.cairn.core.id.LogIndex;
import io.cairn.core.id.PartitionId;
import io.cairn.partition.PartitionStats;
import io.cairn.partition.ReplicaContents;
import io.cairn.storage.Cursor;
import io.cairn.storage.Direction;
import io.cairn.storage.Durability;
import io.cairn.storage.KeyRange;
import io.cairn.storage.KeyspaceId;
import io.cairn.storage.LogId;
import io.cairn.storage.StorageBatch;
import io.cairn.storage.StorageEngine;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A partition replica's state at one log index, as one file: everything the replica keeps in the
 * node's engine ({@link ReplicaContents}), for a replica that is new or so far behind that the
 * leader no longer has the log it needs. Ratis ships the file; the receiving state machine
 * installs it, after which the replica holds exactly the source's keys and records in its ranges.
 *
 * <p>Layout, version 2: {@code magic:u32, version:u8, partitionId:u64, index:u64, itemCount:u64,
 * sizeBytes:u64, localIndexCount:u8, localIndexKeyspace:u64 * localIndexCount, (1:u8, key:bytes,
 * value:bytes)*, 0:u8, (1:u8, name:bytes, value:bytes)*, 0:u8}: the partition's statistics, the
 * keyspaces of the table's local secondary indexes, the keys of the partition's hash range in the
 * table's keyspace and then in each LSI's (in that order, each range ascending), then the
 * metadata records (LSI statistics, item collection sizes; names in UTF-8). {@code bytes} is a
 * u32 length and the bytes.
 *
 * <p>Version 1 (before LSIs were carried) ends after the table's keys: {@code ..., sizeBytes:u64,
 * (1:u8, key:bytes, value:bytes)*, 0:u8}. It is still installed, as it was: the table's keys only,
 * the LSI ranges left as they were. Only version 2 is written.
 */
final class PartitionSnapshot {
  private static final int MAGIC = 0x43534e50; // "CSNP"
  /** Table keys only. */
  static final int VERSION_BASE_ONLY = 1;
  /** Table keys, LSI keys and the replica's metadata records. */
  static final int VERSION_WITH_LOCAL_INDEXES = 2;
  /** DynamoDB allows 5 LSIs per table; a file claiming more than this is corrupt. */
  static final int LOCAL_INDEXES_MAX = 32;
  /** Longest key, value or record name read from a file; DynamoDB items are at most 400 KB. */
  static final int FIELD_BYTES_MAX = 64 << 20;
  /** Operations per engine batch while installing, so one batch stays small. */
  static final int INSTALL_BATCH_OPERATIONS_MAX = 4_096;
  /** Bytes per engine batch while installing (also capped by the engine's own batch limit). */
  static final long INSTALL_BATCH_BYTES_MAX = 4L << 20;

  private PartitionSnapshot() {}

  /** What a snapshot holds, counted while it is written or installed. */
  record Counts(long tableKeys, long indexKeys, long records) {}

  /** What an install found: the statistics recorded in the snapshot, its version and contents. */
  record Installed(PartitionStats stats, int version, List<KeyspaceId> localIndexes, Counts counts) {}

  /** Writes the replica as it is now; the caller guarantees nothing is applied meanwhile. */
  static Counts write(Path file, StorageEngine engine, ReplicaContents contents, long index, PartitionStats stats)
      throws IOException {
    Invariants.check(contents.localIndexes().size() <= LOCAL_INDEXES_MAX, "partition %s has %s local indexes",
        contents.partition(), contents.localIndexes().size());
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    long tableKeys = 0;
    long indexKeys = 0;
    long[] records = {0};
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16))) {
      out.writeInt(MAGIC);
      out.writeByte(VERSION_WITH_LOCAL_INDEXES);
      out.writeLong(contents.partition().value());
      out.writeLong(index);
      out.writeLong(stats.itemCount());
      out.writeLong(stats.sizeBytes());
      out.writeByte(contents.localIndexes().size());
      for (KeyspaceId localIndex : contents.localIndexes()) {
        out.writeLong(localIndex.value());
      }
      List<KeyRange> ranges = contents.keyRanges();
      for (int i = 0; i < ranges.size(); i++) {
        try (Cursor cursor = engine.cursor(ranges.get(i), Direction.FORWARD)) {
          while (cursor.next()) {
            out.writeByte(1);
            writeBytes(out, cursor.key());
            writeBytes(out, cursor.value());
            if (i == 0) {
              tableKeys++;
            } else {
              indexKeys++;
            }
          }
        }
      }
      out.writeByte(0);
      try {
        contents.forEachRecord(engine, (name, value) -> {
          try {
            out.writeByte(1);
            writeBytes(out, name.getBytes(StandardCharsets.UTF_8));
            writeBytes(out, value);
            records[0]++;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      out.writeByte(0);
    }
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    return new Counts(tableKeys, indexKeys, records[0]);
  }

  /**
   * Replaces the replica's contents with the file's, removing whatever this engine held in the
   * replica's ranges and records before, and sets the partition's statistics and applied index,
   * the index last, in the final batch: a crash midway leaves the old applied index (below the
   * snapshot's), and the install is done again.
   *
   * @param range the partition's key range in the table's keyspace
   */
  static Installed install(Path file, StorageEngine engine, KeyRange range, PartitionId partitionId,
      long expectedIndex) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
         Batches batches = new Batches(engine)) {
      Invariants.check(in.readInt() == MAGIC, "%s is not a partition snapshot", file);
      int version = in.readUnsignedByte();
      Invariants.check(version == VERSION_BASE_ONLY || version == VERSION_WITH_LOCAL_INDEXES,
          "unknown snapshot version %s in %s", version, file);
      long partition = in.readLong();
      long index = in.readLong();
      Invariants.check(partition == partitionId.value() && index == expectedIndex,
          "snapshot %s holds partition %s index %s, expected %s index %s", file, partition, index, partitionId,
          expectedIndex);
      PartitionStats stats = new PartitionStats(in.readLong(), in.readLong());
      List<KeyspaceId> localIndexes = new ArrayList<>();
      if (version == VERSION_WITH_LOCAL_INDEXES) {
        int count = in.readUnsignedByte();
        Invariants.check(count <= LOCAL_INDEXES_MAX, "snapshot %s lists %s local indexes", file, count);
        for (int i = 0; i < count; i++) {
          localIndexes.add(new KeyspaceId(in.readLong()));
        }
      }
      ReplicaContents contents = ReplicaContents.of(partitionId, range, localIndexes);

      // First what this engine held of the replica, so nothing stale survives the install. A
      // version-1 file replaces the table's keys only, as it always did.
      for (KeyRange own : contents.keyRanges()) {
        batches.current(0).deleteRange(own);
      }
      if (version == VERSION_WITH_LOCAL_INDEXES) {
        contents.forEachRecord(engine, (name, value) -> batches.current(name.length()).deleteMetadata(name));
      }

      List<KeyRange> ranges = contents.keyRanges();
      int rangeIndex = 0;
      byte[] previous = null;
      long tableKeys = 0;
      long indexKeys = 0;
      while (in.readUnsignedByte() == 1) {
        byte[] key = readBytes(in);
        byte[] value = readBytes(in);
        // Keys come range by range, each ascending: anything else is a corrupt or foreign file.
        while (rangeIndex < ranges.size() && !ranges.get(rangeIndex).contains(key)) {
          rangeIndex++;
          previous = null;
        }
        Invariants.check(rangeIndex < ranges.size(), "snapshot %s: a key outside partition %s's ranges or out of order",
            file, partitionId);
        Invariants.check(previous == null || Arrays.compareUnsigned(previous, key) < 0,
            "snapshot %s: keys of partition %s out of order", file, partitionId);
        previous = key;
        batches.current(key.length + value.length).put(key, value);
        if (rangeIndex == 0) {
          tableKeys++;
        } else {
          indexKeys++;
        }
      }
      long records = 0;
      if (version == VERSION_WITH_LOCAL_INDEXES) {
        while (in.readUnsignedByte() == 1) {
          String name = new String(readBytes(in), StandardCharsets.UTF_8);
          byte[] value = readBytes(in);
          Invariants.check(contents.holdsRecord(name), "snapshot %s: record %s is not partition %s's", file, name,
              partitionId);
          batches.current(name.length() + value.length).putMetadata(name, value);
          records++;
        }
      }
      Invariants.check(in.read() == -1, "snapshot %s: bytes after its end", file);
      contents.putStats(batches.current(32), stats);
      batches.finish(LogId.of(partitionId), new LogIndex(index));
      return new Installed(stats, version, List.copyOf(localIndexes), new Counts(tableKeys, indexKeys, records));
    }
  }

  /**
   * The install's engine batches: a batch is committed (crash-safe, without the applied index)
   * once it holds {@link #INSTALL_BATCH_OPERATIONS_MAX} operations or would pass the byte bound;
   * the last one carries the applied index and is fsynced.
   */
  private static final class Batches implements AutoCloseable {
    private final StorageEngine engine;
    private final long bytesMax;
    private StorageBatch batch;

    Batches(StorageEngine engine) {
      this.engine = engine;
      this.bytesMax = Math.min(INSTALL_BATCH_BYTES_MAX, engine.storageOptions().batchBytesMax());
      this.batch = engine.newBatch();
    }

    /** The batch to add an operation of about {@code bytes} to. */
    StorageBatch current(long bytes) {
      if (batch.operationCount() > 0
          && (batch.operationCount() >= INSTALL_BATCH_OPERATIONS_MAX || batch.dataBytes() + bytes > bytesMax)) {
        engine.commit(batch, Durability.PROCESS_CRASH_SAFE);
        batch.close();
        batch = engine.newBatch();
      }
      return batch;
    }

    void finish(LogId log, LogIndex index) {
      engine.commit(batch, log, index, Durability.FSYNC);
    }

    @Override
    public void close() {
      batch.close();
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    Invariants.check(length >= 0 && length <= FIELD_BYTES_MAX, "bad length %s in a snapshot", length);
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }
}
