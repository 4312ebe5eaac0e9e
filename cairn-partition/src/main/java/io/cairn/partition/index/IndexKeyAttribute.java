package io.cairn.partition.index;

import java.util.Objects;

/** One key attribute of a secondary index: its name and declared scalar type (S, N or B). */
public record IndexKeyAttribute(String name, String type) {
  public IndexKeyAttribute {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }
}
