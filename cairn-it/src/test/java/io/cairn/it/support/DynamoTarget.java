package io.cairn.it.support;

import java.net.URI;

/** A running DynamoDB-compatible endpoint a test talks to: DynamoDB Local or Cairn. */
public interface DynamoTarget extends AutoCloseable {
  URI endpoint();

  /** Short name for reports: dynamodb-local, cairn, cairn-process. */
  String name();

  /**
   * Returns once every acknowledged write has reached the global secondary indexes (which are
   * eventually consistent), so index reads can be compared with an oracle that updates them
   * synchronously. DynamoDB Local needs no wait.
   */
  default void awaitIndexesSettled() {}

  @Override
  void close();
}
