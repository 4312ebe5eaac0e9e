package io.cairn.storage;

import org.rocksdb.RocksDBException;

/**
 * An I/O or RocksDB failure. Whether a retry is safe depends on the operation: a failed commit
 * may or may not have reached the WAL, so the layer above treats it as fatal for the replica
 * (reopen and replay the log from the applied index) rather than retrying the batch.
 */
public final class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  static StorageException wrap(String operation, RocksDBException e) {
    String status = e.getStatus() == null ? "" : " (" + e.getStatus().getCodeString() + ")";
    return new StorageException(operation + " failed" + status + ": " + e.getMessage(), e);
  }
}
