package io.cairn.expressions;

import java.util.List;
import java.util.Objects;

/**
 * What a key condition needs to know about the table or index being queried: the key attributes
 * and their declared scalar types ("S", "N" or "B"), in declared order.
 *
 * <p>A table or LSI has one partition-key attribute and at most one sort-key attribute. A GSI may
 * have DynamoDB's multi-attribute keys: up to {@link #KEY_ATTRIBUTES_MAX} partition-key attributes
 * (a Query names each with an equality) and up to {@link #KEY_ATTRIBUTES_MAX} sort-key attributes
 * (a Query conditions a prefix of them, left to right).
 *
 * @param partitionKey the HASH attributes, at least one
 * @param sortKey the RANGE attributes, possibly none
 */
public record KeySchemaInfo(List<KeyAttribute> partitionKey, List<KeyAttribute> sortKey) {
  /** Most attributes a multi-attribute partition or sort key may have. */
  public static final int KEY_ATTRIBUTES_MAX = 4;

  /** One key attribute: its name and declared type. */
  public record KeyAttribute(String name, String type) {
    public KeyAttribute {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  public KeySchemaInfo {
    partitionKey = List.copyOf(partitionKey);
    sortKey = List.copyOf(sortKey);
    if (partitionKey.isEmpty() || partitionKey.size() > KEY_ATTRIBUTES_MAX || sortKey.size() > KEY_ATTRIBUTES_MAX) {
      throw new IllegalArgumentException("a key has 1.." + KEY_ATTRIBUTES_MAX + " partition-key and 0.."
          + KEY_ATTRIBUTES_MAX + " sort-key attributes, not " + partitionKey.size() + " and " + sortKey.size());
    }
  }

  /** A single-attribute key; the sort key fields are null for a key without a sort key. */
  public KeySchemaInfo(String partitionKeyName, String partitionKeyType, String sortKeyName, String sortKeyType) {
    this(List.of(new KeyAttribute(partitionKeyName, partitionKeyType)), sortKeyOf(sortKeyName, sortKeyType));
  }

  private static List<KeyAttribute> sortKeyOf(String name, String type) {
    if ((name == null) != (type == null)) {
      throw new IllegalArgumentException("sort key name and type go together");
    }
    return name == null ? List.of() : List.of(new KeyAttribute(name, type));
  }

  public static KeySchemaInfo hashOnly(String partitionKeyName, String partitionKeyType) {
    return new KeySchemaInfo(partitionKeyName, partitionKeyType, null, null);
  }

  /** The first (for a single-attribute key, the only) partition-key attribute's name. */
  public String partitionKeyName() {
    return partitionKey.get(0).name();
  }

  public String partitionKeyType() {
    return partitionKey.get(0).type();
  }

  /** The first sort-key attribute's name, or null without a sort key. */
  public String sortKeyName() {
    return sortKey.isEmpty() ? null : sortKey.get(0).name();
  }

  public String sortKeyType() {
    return sortKey.isEmpty() ? null : sortKey.get(0).type();
  }

  public boolean hasSortKey() {
    return !sortKey.isEmpty();
  }

  /** Whether the partition or the sort key has more than one attribute. */
  public boolean multiAttribute() {
    return partitionKey.size() > 1 || sortKey.size() > 1;
  }

  /** Partition-key plus sort-key attributes. */
  public int attributeCount() {
    return partitionKey.size() + sortKey.size();
  }
}
