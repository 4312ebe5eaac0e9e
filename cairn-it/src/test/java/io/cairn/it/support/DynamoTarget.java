package io.cairn.it.support;

import java.net.URI;

/** A running DynamoDB-compatible endpoint a test talks to: DynamoDB Local or Cairn. */
public interface DynamoTarget extends AutoCloseable {
  URI endpoint();

  /** Short name for reports: dynamodb-local, cairn, cairn-process. */
  String name();

  @Override
  void close();
}
