package io.cairn.server.cluster;

/** What a process of a cluster does; one role per process in a cluster (all of them in {@code cairn start}). */
public enum Role {
  /** A member of the metadata service's Ratis group; also runs auto-admin while it leads. */
  METADATA,
  /** A storage node: one Ratis server hosting a division per partition replica, over one RocksDB. */
  STORAGE,
  /** A stateless request router: DynamoDB's HTTP API in front of the metadata service and storage nodes. */
  ROUTER,
  /** The endpoint manager: plans, enactors and the authoritative DNS server naming the routers. */
  ENDPOINT
}
