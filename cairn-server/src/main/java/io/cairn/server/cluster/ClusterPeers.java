package io.cairn.server.cluster;

import io.cairn.metadata.MetadataPeer;
import java.util.List;

/** Names between the topology file and the services' own peer types. */
final class ClusterPeers {
  private ClusterPeers() {}

  /** Every call to the metadata service gives up after this long (retries on leader change included). */
  static final long METADATA_REQUEST_TIMEOUT_MS = 5_000;

  static List<MetadataPeer> metadataPeers(ClusterTopology topology) {
    return topology.byRole(Role.METADATA).stream().map(p -> new MetadataPeer(p.name(), p.address())).toList();
  }
}
