package io.cairn.metadata;

import java.util.Objects;

/** One member of the metadata group: a stable id (e.g. {@code metadata-az1-1}) and host:port. */
public record MetadataPeer(String id, String address) {
  public MetadataPeer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
  }
}
