package io.cairn.router.table;

import java.util.Objects;

/**
 * A table's (or index's) primary key: a partition key and an optional sort key, each with its
 * declared scalar type.
 *
 * @param partitionKey the HASH attribute's name
 * @param partitionKeyType "S", "N" or "B"
 * @param sortKey the RANGE attribute's name, or null
 * @param sortKeyType "S", "N" or "B", or null without a sort key
 */
public record KeySchema(String partitionKey, String partitionKeyType, String sortKey, String sortKeyType) {
  public KeySchema {
    Objects.requireNonNull(partitionKey, "partitionKey");
    Objects.requireNonNull(partitionKeyType, "partitionKeyType");
    if ((sortKey == null) != (sortKeyType == null)) {
      throw new IllegalArgumentException("sort key name and type go together");
    }
  }

  public boolean hasSortKey() {
    return sortKey != null;
  }

  public boolean isKeyAttribute(String attributeName) {
    return attributeName.equals(partitionKey) || attributeName.equals(sortKey);
  }

  /** The declared type of a key attribute, or null when the name is not part of the key. */
  public String typeOf(String attributeName) {
    if (attributeName.equals(partitionKey)) {
      return partitionKeyType;
    }
    if (attributeName.equals(sortKey)) {
      return sortKeyType;
    }
    return null;
  }
}
