package io.cairn.metadata;

import java.util.Arrays;
import java.util.Objects;

/**
 * One table as the metadata service stores it: the definition is opaque bytes (the router's
 * {@code TableCodec} JSON, partition map included); the version is the service's revision at the
 * table's last change, so it only ever grows, across a delete and re-create too.
 */
public record TableRecord(String name, long version, byte[] definition) {
  public TableRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(definition, "definition");
    if (version <= 0) {
      throw new IllegalArgumentException("table version must be positive: " + version);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableRecord t
        && t.name.equals(name)
        && t.version == version
        && Arrays.equals(t.definition, definition);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, version, Arrays.hashCode(definition));
  }

  @Override
  public String toString() {
    return "TableRecord[" + name + " v" + version + ", " + definition.length + " bytes]";
  }
}
