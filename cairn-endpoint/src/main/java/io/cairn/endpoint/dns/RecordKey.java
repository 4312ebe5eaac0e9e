package io.cairn.endpoint.dns;

import java.util.Comparator;
import java.util.Objects;

/**
 * Identifies one record set the way Route 53 does: owner name, type and, for weighted records, the
 * set identifier. Names are stored lower case without the trailing dot.
 */
public record RecordKey(String name, RecordType type, String setId) implements Comparable<RecordKey> {
  private static final Comparator<RecordKey> ORDER =
      Comparator.comparing(RecordKey::name)
          .thenComparing(RecordKey::type)
          .thenComparing(k -> k.setId() == null ? "" : k.setId());

  public RecordKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    name = DnsNames.normalize(name);
  }

  @Override
  public int compareTo(RecordKey other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return name + " " + type + (setId == null ? "" : " [" + setId + "]");
  }
}
