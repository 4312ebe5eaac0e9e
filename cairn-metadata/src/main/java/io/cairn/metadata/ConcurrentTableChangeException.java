package io.cairn.metadata;

/**
 * Another control-plane change reached the table first: the definition this router based its change
 * on is no longer current. The caller re-reads the table (the store has refreshed its version) and
 * re-applies its change, or reports DynamoDB's {@code ResourceInUseException} for a create.
 */
public final class ConcurrentTableChangeException extends RuntimeException {
  private final String tableName;
  private final long currentVersion;

  public ConcurrentTableChangeException(String tableName, long currentVersion, String message) {
    super(message);
    this.tableName = tableName;
    this.currentVersion = currentVersion;
  }

  public String tableName() {
    return tableName;
  }

  /** The version now stored (0 if the table no longer exists). */
  public long currentVersion() {
    return currentVersion;
  }
}
