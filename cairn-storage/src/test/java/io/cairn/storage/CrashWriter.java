package io.cairn.storage;

import io.cairn.core.id.LogIndex;
import io.cairn.core.value.AttributeValue;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child process of {@link CrashRecoveryTest}: commits batches without fsync as fast as it
 * can and prints "committed N" after each commit returns, until it is killed.
 */
public final class CrashWriter {
  static final LogId LOG = new LogId(1);
  static final KeyspaceId TABLE = new KeyspaceId(1);

  private CrashWriter() {}

  static byte[] key(long index, int item) {
    return KeyCodec.itemKey(TABLE, AttributeValue.n(index), AttributeValue.n(item));
  }

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    PrintStream out = System.out;
    StorageEngine engine = StorageEngine.open(dir, StorageOptions.small());
    long index = engine.appliedIndex(LOG).value();
    while (true) {
      index++;
      try (StorageBatch batch = engine.newBatch()) {
        for (int item = 0; item < 3; item++) {
          batch.put(key(index, item), ("value-" + index + "-" + item).getBytes());
        }
        engine.commit(batch, LOG, new LogIndex(index), Durability.PROCESS_CRASH_SAFE);
      }
      out.println("committed " + index);
      out.flush();
    }
  }
}
