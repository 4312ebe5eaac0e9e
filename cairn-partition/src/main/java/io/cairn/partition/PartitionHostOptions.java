package io.cairn.partition;

import io.cairn.storage.Durability;

/**
 * Limits and durability of a {@link PartitionHost}.
 *
 * @param writeQueueDepthMax commands waiting for the applier; beyond this, writes are throttled
 * @param applyBatchCommandsMax commands applied and committed as one storage batch (group commit)
 * @param durability whether each group commit waits for fsync of the write-ahead log
 */
public record PartitionHostOptions(int writeQueueDepthMax, int applyBatchCommandsMax, Durability durability) {
  public PartitionHostOptions {
    if (writeQueueDepthMax < 1 || applyBatchCommandsMax < 1 || applyBatchCommandsMax > writeQueueDepthMax) {
      throw new IllegalArgumentException("need 1 <= applyBatchCommandsMax <= writeQueueDepthMax");
    }
  }

  public static PartitionHostOptions defaults(Durability durability) {
    return new PartitionHostOptions(16_384, 512, durability);
  }
}
