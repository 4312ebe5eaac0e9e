package io.cairn.metadata;

/**
 * Ids of one kind handed out from blocks the metadata service allocates, to save a log entry per
 * id. Ids of a block not handed out before a restart are skipped, never reused. Thread-safe.
 */
public final class IdBlock {
  private final MetadataClient client;
  private final IdKind kind;
  private final int blockSize;
  private long next;
  private long end; // exclusive

  public IdBlock(MetadataClient client, IdKind kind, int blockSize) {
    if (blockSize < 1 || blockSize > MetadataState.ID_BATCH_MAX) {
      throw new IllegalArgumentException("id block size must be 1.." + MetadataState.ID_BATCH_MAX);
    }
    this.client = client;
    this.kind = kind;
    this.blockSize = blockSize;
  }

  /** The next id; asks the service for a new block when this one is used up. */
  public synchronized long next() {
    if (next == end) {
      next = client.allocateIds(kind, blockSize);
      end = next + blockSize;
    }
    return next++;
  }
}
