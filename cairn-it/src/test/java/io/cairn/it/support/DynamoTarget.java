package io.cairn.it.support;

import java.net.URI;
import java.util.List;

/** A running DynamoDB-compatible endpoint a test talks to: DynamoDB Local or Cairn. */
public interface DynamoTarget extends AutoCloseable {
  URI endpoint();

  /**
   * Every endpoint that serves the same data: one for a single server, one per router for a
   * cluster. A client may send each request to any of them.
   */
  default List<URI> endpoints() {
    return List.of(endpoint());
  }

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
