package io.cairn.expressions;

import java.util.Objects;

/**
 * What a key condition needs to know about the table or index being queried: the key attribute
 * names and their declared scalar types ("S", "N" or "B"). The sort key fields are null for a
 * table or index without a sort key.
 */
public record KeySchemaInfo(
    String partitionKeyName, String partitionKeyType, String sortKeyName, String sortKeyType) {

  public KeySchemaInfo {
    Objects.requireNonNull(partitionKeyName, "partitionKeyName");
    Objects.requireNonNull(partitionKeyType, "partitionKeyType");
    if ((sortKeyName == null) != (sortKeyType == null)) {
      throw new IllegalArgumentException("sort key name and type go together");
    }
  }

  public static KeySchemaInfo hashOnly(String partitionKeyName, String partitionKeyType) {
    return new KeySchemaInfo(partitionKeyName, partitionKeyType, null, null);
  }

  public boolean hasSortKey() {
    return sortKeyName != null;
  }
}
