package io.cairn.server.cluster;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.cairn.core.id.PartitionId;
import io.cairn.metadata.MetadataClient;
import io.cairn.metadata.NodeRecord;
import io.cairn.metadata.PartitionReplicas;
import io.cairn.metadata.RatisMetadataClient;
import io.cairn.metadata.RoutingCache;
import io.cairn.metadata.RoutingCacheOptions;
import io.cairn.protocol.FrontEndConfig;
import io.cairn.protocol.HttpFrontEnd;
import io.cairn.metadata.RoutingCacheMeters;
import io.cairn.protocol.metrics.CairnMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.cairn.protocol.auth.Authenticator;
import io.cairn.replication.RemotePartitionClient;
import io.cairn.replication.ReplicaPeer;
import io.cairn.replication.ReplicatedPartitionAccess;
import io.cairn.replication.ReplicationException;
import io.cairn.replication.ReplicationOptions;
import io.cairn.router.Operations;
import io.cairn.router.item.BatchOperations;
import io.cairn.router.item.ItemOperations;
import io.cairn.router.item.QueryScanOperations;
import io.cairn.router.table.TableOperations;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request router of a cluster: DynamoDB's HTTP API on its own address, tables from the metadata
 * service through a routing cache, items from the partitions' replication groups on the storage
 * nodes over Ratis's gRPC client. Stateless: kill it and start it again, or start another.
 */
public final class RouterProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RouterProcess.class);
  /** Worker threads that run operations (each may wait on a remote read). */
  static final int WORKER_THREADS = 64;
  /** Requests waiting for a worker before new ones are throttled. */
  static final int WORKER_QUEUE_DEPTH_MAX = 4_096;
  /** How long a request waits for a new partition to be placed before it is refused (retryable). */
  static final long PLACEMENT_WAIT_MS = 10_000;
  static final long PLACEMENT_POLL_MS = 50;

  private final MetadataClient metadata;
  private final RoutingCache cache;
  private final RemotePartitionClient partitions;
  private final MembershipWatch watch;
  private final OffloadingService service;
  private final HttpFrontEnd frontEnd;

  private RouterProcess(MetadataClient metadata, RoutingCache cache, RemotePartitionClient partitions,
      MembershipWatch watch, OffloadingService service, HttpFrontEnd frontEnd) {
    this.metadata = metadata;
    this.cache = cache;
    this.partitions = partitions;
    this.watch = watch;
    this.service = service;
    this.frontEnd = frontEnd;
  }

  public static RouterProcess start(ClusterTopology topology, ProcessSpec self) throws java.io.IOException {
    MetadataClient metadata = new RatisMetadataClient(ClusterPeers.metadataPeers(topology),
        ClusterPeers.METADATA_REQUEST_TIMEOUT_MS);
    RoutingCache cache = new RoutingCache(metadata, RoutingCacheOptions.defaults());
    NodeAddresses nodes = new NodeAddresses(metadata);
    MembershipWatch watch = new MembershipWatch();
    RemotePartitionClient partitions = new RemotePartitionClient(
        partitionId -> replicas(cache, nodes, watch, partitionId), ReplicationOptions.defaults());
    watch.start(partitions);
    ReplicatedPartitionAccess access = new ReplicatedPartitionAccess(partitions, cache::reportStaleRoute);
    ClusterTableCatalog catalog = new ClusterTableCatalog(metadata, cache);
    String endpointAddress = self.host() + ":" + self.port();
    TableOperations tables = new TableOperations(catalog, new ClusterTableData(metadata, access),
        InstantSource.system(), endpointAddress);
    Operations operations = new Operations(tables, new ItemOperations(catalog, access),
        new QueryScanOperations(catalog, access), new BatchOperations(catalog, access));
    OffloadingService service = new OffloadingService(operations, WORKER_THREADS, WORKER_QUEUE_DEPTH_MAX);
    // GET /metrics: requests by operation and outcome, and the routing cache's lookups and the
    // requests they sent to the metadata service (which must track each other, warm or cold).
    PrometheusMeterRegistry registry = CairnMeters.newRegistry(self.name(), self.role().name().toLowerCase(java.util.Locale.ROOT));
    new RoutingCacheMeters(cache.metrics()).bindTo(registry);
    HttpFrontEnd frontEnd = HttpFrontEnd.start(FrontEndConfig.defaults(self.host(), self.port()), service,
        Authenticator.acceptingAnySignature(), registry);
    LOG.atInfo().setMessage("router started").addKeyValue("router", self.name())
        .addKeyValue("endpoint", "http://" + endpointAddress)
        .addKeyValue("metadata", ClusterPeers.metadataPeers(topology)).log();
    return new RouterProcess(metadata, cache, partitions, watch, service, frontEnd);
  }

  /**
   * Where a partition's replicas are. A partition of a table just created may not be placed yet
   * (no assignment): wait for auto-admin (asking the service again each time) up to {@link
   * #PLACEMENT_WAIT_MS}. A partition whose assignment is empty was unassigned because its table was
   * deleted (through this router or another, whose change this router's cache has not seen yet):
   * the table is gone, as DynamoDB says at once.
   */
  private static List<ReplicaPeer> replicas(RoutingCache cache, NodeAddresses nodes, MembershipWatch watch,
      PartitionId partitionId) {
    long deadline = System.nanoTime() + PLACEMENT_WAIT_MS * 1_000_000;
    while (true) {
      PartitionReplicas assignment = cache.partition(partitionId);
      if (assignment != null && assignment.replicaNodeIds().isEmpty()) {
        throw DynamoDbException.resourceNotFound("Requested resource not found");
      }
      if (assignment != null) {
        watch.seen(partitionId, assignment.version());
        List<ReplicaPeer> peers = new ArrayList<>();
        for (String nodeId : assignment.replicaNodeIds()) {
          peers.add(ReplicaPeer.full(nodeId, nodes.address(nodeId)));
        }
        return peers;
      }
      if (System.nanoTime() > deadline) {
        throw new ReplicationException(ReplicationException.Kind.UNAVAILABLE,
            "partition " + partitionId + " is not placed on any storage node yet", null, null);
      }
      cache.reportStaleRoute(partitionId);
      try {
        Thread.sleep(PLACEMENT_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DynamoDbException(ErrorType.SERVICE_UNAVAILABLE, "interrupted");
      }
    }
  }

  /**
   * Rebuilds a partition's Ratis client when the routing cache shows its assignment at a new
   * version (auto-admin's repair replaced a replica, say). The partition client asks the directory
   * when it builds a client and after a failure (a write's, or an eventually consistent read's on
   * the replica it picked: reads pick among the replicas the client was built for, so a dead one
   * fails and brings the check); whenever such a lookup shows a new version, the client is
   * rebuilt. The refresh runs on a thread of its own: the directory is also asked while the client
   * is being built. A refresh that finds the queue full is dropped (the next failure or version
   * change brings it back).
   */
  static final class MembershipWatch {
    static final int QUEUE_DEPTH_MAX = 1_024;
    private final Map<PartitionId, Long> versions = new ConcurrentHashMap<>();
    private final java.util.concurrent.ThreadPoolExecutor refresher = new java.util.concurrent.ThreadPoolExecutor(1, 1,
        0, java.util.concurrent.TimeUnit.MILLISECONDS, new java.util.concurrent.ArrayBlockingQueue<>(QUEUE_DEPTH_MAX),
        r -> {
          Thread thread = new Thread(r, "cairn-membership-refresh");
          thread.setDaemon(true);
          return thread;
        }, new java.util.concurrent.ThreadPoolExecutor.DiscardPolicy());
    private volatile java.util.function.Consumer<PartitionId> refresh;

    void start(RemotePartitionClient partitions) {
      start(partitions::refreshIfMembershipChanged);
    }

    void start(java.util.function.Consumer<PartitionId> refreshAction) {
      this.refresh = refreshAction;
    }

    void seen(PartitionId partitionId, long version) {
      Long previous = versions.put(partitionId, version);
      java.util.function.Consumer<PartitionId> r = refresh;
      if (previous != null && previous != version && r != null) {
        refresher.execute(() -> {
          try {
            r.accept(partitionId);
          } catch (RuntimeException e) {
            LOG.atInfo().setMessage("partition client not refreshed").addKeyValue("partition", partitionId.toString())
                .addKeyValue("error", String.valueOf(e)).log();
          }
        });
      }
    }

    void close() {
      refresher.shutdownNow();
    }
  }

  /** Storage nodes' Ratis addresses by node id; asks the service again for a node it does not know. */
  private static final class NodeAddresses {
    private final MetadataClient metadata;
    private final Map<String, String> addresses = new ConcurrentHashMap<>();

    NodeAddresses(MetadataClient metadata) {
      this.metadata = metadata;
    }

    String address(String nodeId) {
      String address = addresses.get(nodeId);
      if (address == null) {
        for (NodeRecord node : metadata.listNodes().nodes()) {
          addresses.put(node.nodeId(), node.address());
        }
        address = addresses.get(nodeId);
      }
      if (address == null) {
        throw new ReplicationException(ReplicationException.Kind.UNAVAILABLE, "unknown storage node " + nodeId, null, null);
      }
      return address;
    }
  }

  @Override
  public void close() {
    frontEnd.close();
    service.close();
    watch.close();
    partitions.close();
    cache.close();
    metadata.close();
  }
}
