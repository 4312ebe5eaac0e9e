package io.cairn.partition;

import java.nio.ByteBuffer;

/** Item count and item bytes of one partition, maintained exactly by the applier. */
public record PartitionStats(long itemCount, long sizeBytes) {
  public static final PartitionStats EMPTY = new PartitionStats(0, 0);

  PartitionStats plus(long itemDelta, long bytesDelta) {
    return new PartitionStats(itemCount + itemDelta, sizeBytes + bytesDelta);
  }

  byte[] encode() {
    return ByteBuffer.allocate(16).putLong(itemCount).putLong(sizeBytes).array();
  }

  static PartitionStats decode(byte[] bytes) {
    if (bytes == null) {
      return EMPTY;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new PartitionStats(buffer.getLong(), buffer.getLong());
  }
}
