package io.cairn.metadata;

/**
 * The metadata service did not answer within the deadline (no leader, partitioned, overloaded, or
 * the routing cache's in-flight bound was reached). Safe to retry: a write that timed out may or
 * may not have been applied, and every write is either idempotent per Ratis call id or conditional
 * on a version, so the caller re-reads and decides. Routers map it to DynamoDB's
 * {@code InternalServerError} (retryable) for data-plane requests.
 */
public final class MetadataUnavailableException extends RuntimeException {
  public MetadataUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public MetadataUnavailableException(String message) {
    super(message);
  }
}
