package io.cairn.storage;

/**
 * RocksDB tuning, with units in every name. The defaults suit a small node (2 cores, a few GB of
 * memory): one shared block cache, bloom filters for point reads and per-partition-key prefix
 * seeks, LZ4 on every level, level compaction with two background jobs.
 *
 * @param blockCacheBytes LRU cache of uncompressed data, index and filter blocks
 * @param writeBufferBytes one memtable; a full one is flushed to an L0 file
 * @param writeBuffersMax memtables (active plus immutable) before writes stall
 * @param backgroundJobsMax flushes plus compactions running at once (one per core)
 * @param bloomBitsPerKey bloom filter bits per key (10 gives about 1% false positives)
 * @param lz4Compression LZ4 for every level; otherwise no compression
 * @param openFilesMax SST files kept open; -1 keeps all open
 * @param walBytesMax total WAL size before the oldest memtables are flushed to free it
 * @param targetFileBytes target size of one SST file at level 1
 * @param levelBaseBytes total size of level 1; deeper levels grow by 10x
 * @param bytesPerSync background sync of SST writes every this many bytes (smooths I/O)
 * @param batchBytesMax a write batch larger than this is refused before it reaches RocksDB
 */
public record StorageOptions(
    long blockCacheBytes,
    long writeBufferBytes,
    int writeBuffersMax,
    int backgroundJobsMax,
    double bloomBitsPerKey,
    boolean lz4Compression,
    int openFilesMax,
    long walBytesMax,
    long targetFileBytes,
    long levelBaseBytes,
    long bytesPerSync,
    long batchBytesMax) {

  private static final long MIB = 1024L * 1024L;

  public StorageOptions {
    require(blockCacheBytes >= MIB, "blockCacheBytes must be at least 1 MiB");
    require(writeBufferBytes >= 64 * 1024, "writeBufferBytes must be at least 64 KiB");
    require(writeBuffersMax >= 2, "writeBuffersMax must be at least 2");
    require(backgroundJobsMax >= 1, "backgroundJobsMax must be at least 1");
    require(bloomBitsPerKey >= 0 && bloomBitsPerKey <= 64, "bloomBitsPerKey must be 0..64");
    require(openFilesMax == -1 || openFilesMax >= 16, "openFilesMax must be -1 or at least 16");
    require(walBytesMax >= writeBufferBytes, "walBytesMax must be at least writeBufferBytes");
    require(targetFileBytes >= MIB, "targetFileBytes must be at least 1 MiB");
    require(levelBaseBytes >= targetFileBytes, "levelBaseBytes must be at least targetFileBytes");
    require(bytesPerSync >= 0, "bytesPerSync must not be negative");
    // A batch must fit in a memtable, or every commit of that size would stall on a flush.
    require(
        batchBytesMax >= 1 && batchBytesMax <= writeBufferBytes * writeBuffersMax,
        "batchBytesMax must be 1..writeBufferBytes*writeBuffersMax");
  }

  /** For a 2-core node with a few GB of memory. */
  public static StorageOptions defaults() {
    return new StorageOptions(
        256 * MIB, 64 * MIB, 4, 2, 10.0, true, 1024, 512 * MIB, 64 * MIB, 256 * MIB, MIB, 64 * MIB);
  }

  /** Small buffers so that tests reach SST files and compactions quickly. */
  public static StorageOptions small() {
    return new StorageOptions(
        8 * MIB, 4 * MIB, 2, 2, 10.0, true, 256, 16 * MIB, 2 * MIB, 8 * MIB, 0, 4 * MIB);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
