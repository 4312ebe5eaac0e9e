package io.cairn.replication;

import io.cairn.core.id.PartitionId;
import io.cairn.storage.StorageEngine;
import io.cairn.storage.StorageOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Three storage nodes in this JVM on loopback, each with its own RocksDB engine and Ratis
 * directory under one temporary directory. A node can be stopped (server closed, then engine
 * closed: to the others it looks like a crash) and started again on the same port and files.
 */
final class LocalCluster implements AutoCloseable {
  static final int NODES = 3;

  private final Path dir;
  private final ReplicationOptions options;
  private final int[] ports = new int[NODES];
  private final StorageNode[] nodes = new StorageNode[NODES];
  private final StorageEngine[] engines = new StorageEngine[NODES];
  private final java.util.Map<PartitionId, List<ReplicaPeer>> groups = new java.util.concurrent.ConcurrentHashMap<>();

  private final StorageNode.PartitionRanges ranges;
  private final io.cairn.partition.index.IndexCatalog indexes;

  LocalCluster(Path dir, ReplicationOptions options) {
    this(dir, options, LocalCluster::range, io.cairn.partition.index.IndexCatalog.NONE);
  }

  /** A cluster whose partitions have the key ranges {@code ranges} gives and maintain {@code indexes}. */
  LocalCluster(Path dir, ReplicationOptions options, StorageNode.PartitionRanges ranges,
      io.cairn.partition.index.IndexCatalog indexes) {
    this.dir = dir;
    this.options = options;
    this.ranges = ranges;
    this.indexes = indexes;
    for (int i = 0; i < NODES; i++) {
      ports[i] = freePort();
      start(i);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Partitions from {@link #SNAPSHOT_PARTITIONS_FROM} on keep their items in keyspace = partition id. */
  static final long SNAPSHOT_PARTITIONS_FROM = 11;

  static io.cairn.storage.KeyRange range(PartitionId partitionId) {
    return partitionId.value() >= SNAPSHOT_PARTITIONS_FROM
        ? io.cairn.storage.KeyCodec.keyspaceRange(new io.cairn.storage.KeyspaceId(partitionId.value())) : null;
  }

  static String nodeId(int i) {
    return "storage-az" + (i + 1) + "-1";
  }

  String address(int i) {
    return "127.0.0.1:" + ports[i];
  }

  List<ReplicaPeer> fullGroup() {
    List<ReplicaPeer> peers = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      peers.add(ReplicaPeer.full(nodeId(i), address(i)));
    }
    return peers;
  }

  /**
   * Names the partition's replicas to clients without creating them on any node: a router that
   * learned a placement before the storage nodes acted on it.
   */
  void announceGroup(PartitionId partitionId, List<ReplicaPeer> peers) {
    groups.put(partitionId, peers);
  }

  /** A group of partition {@code id} on all three nodes, once it has a leader. */
  PartitionId createFullGroup(long id, Duration election) {
    PartitionId partitionId = new PartitionId(id);
    createGroup(partitionId, fullGroup());
    awaitLeader(partitionId, election);
    return partitionId;
  }

  /** Adds the partition's replicas on every node (they must all be running). */
  void createGroup(PartitionId partitionId, List<ReplicaPeer> peers) {
    groups.put(partitionId, peers);
    for (int i = 0; i < NODES; i++) {
      int index = i;
      if (peers.stream().anyMatch(p -> p.nodeId().equals(nodeId(index)))) {
        nodes[i].addReplica(partitionId, peers);
      }
    }
  }

  void start(int i) {
    StorageEngine engine = StorageEngine.open(engineDir(i), StorageOptions.small());
    engines[i] = engine;
    nodes[i] = StorageNode.start(nodeId(i), "127.0.0.1", ports[i], dir.resolve("node" + i + "/ratis"), engine,
        options, ranges, partitionId -> new io.cairn.partition.PartitionApplier(engine, indexes,
            io.cairn.partition.PartitionApplier.OutboxListener.NONE));
  }

  /** Node {@code i}'s engine directory (open it only while the node is stopped). */
  Path engineDir(int i) {
    return dir.resolve("node" + i + "/engine");
  }

  void stop(int i) {
    if (nodes[i] != null) {
      nodes[i].close();
      engines[i].close();
      nodes[i] = null;
      engines[i] = null;
    }
  }

  boolean running(int i) {
    return nodes[i] != null;
  }

  StorageNode node(int i) {
    return nodes[i];
  }

  StorageEngine engine(int i) {
    return engines[i];
  }

  /** The running node that leads the partition, waiting up to {@code timeout} for an election. */
  int awaitLeader(PartitionId partitionId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < NODES; i++) {
        if (nodes[i] != null && nodes[i].isLeader(partitionId)) {
          return i;
        }
      }
      pause(20);
    }
    throw new AssertionError("no leader for " + partitionId + " within " + timeout);
  }

  static void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      pause(20);
    }
  }

  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  RemotePartitionClient remoteClient(ReplicationOptions clientOptions) {
    return new RemotePartitionClient(partition -> groups.get(partition), clientOptions);
  }

  void restartAllStopped() {
    for (int i = 0; i < NODES; i++) {
      if (nodes[i] == null) {
        start(i);
      }
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < NODES; i++) {
      stop(i);
    }
  }
}
