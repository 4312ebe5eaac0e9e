package io.cairn.it.chaos;

import io.cairn.it.support.ClusterPorts;
import ch.qos.logback.classic.Level;
import io.cairn.core.id.PartitionId;
import io.cairn.metadata.MetadataPeer;
import io.cairn.metadata.PartitionReplicas;
import io.cairn.metadata.RatisMetadataClient;
import io.cairn.metadata.TableRecord;
import io.cairn.replication.PartitionGroups;
import io.cairn.replication.RemotePartitionClient;
import io.cairn.replication.ReplicaPeer;
import io.cairn.replication.ReplicationOptions;
import io.cairn.router.table.TableCodec;
import io.cairn.router.table.TableDefinition;
import io.cairn.server.cluster.ClusterOptions;
import io.cairn.server.cluster.ClusterTopology;
import io.cairn.server.cluster.LocalCluster;
import io.cairn.server.cluster.ProcessPlacement;
import io.cairn.server.cluster.ProcessSpec;
import io.cairn.server.cluster.Role;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A 3-AZ local cluster (three metadata members, one storage node per AZ unless a test asks for
 * more, two routers, the endpoint manager) of a chaos test's own, started with {@link LocalCluster} in a temporary directory on
 * ports that were free, and the tools the tests look at it with: SDK clients per router (no SDK
 * retries, so each call is one operation of the history), the metadata service, each replica's
 * Ratis state (role, term, commit and applied index, from Ratis's group-info call to that node)
 * and reads from one chosen replica.
 *
 * <p>The directory is deleted when the cluster stops, unless a test failed (then it is kept and
 * named) or {@code -Dcairn.chaos.keep=true}.
 */
final class ChaosCluster implements AutoCloseable {
  static final int ROUTERS = 2;
  static final int HEAP_MB = 256;
  /** Nine JVMs starting together on two busy cores; a healthy start takes 20–40 s. */
  static final long READY_TIMEOUT_MS = 180_000;
  static final long STOP_WAIT_MS = 10_000;
  static final int LOG_TAIL_LINES = 25;
  static final int LOG_TAIL_BYTES_MAX = 32 * 1024;
  /** One group-info call to one node; a dead or cut-off node must not hold a poll up for long. */
  static final long PROBE_TIMEOUT_MS = 1_500;
  /** An SDK call: longer than a router's own deadline (10 s), so the router's answer comes back. */
  static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(20);
  static final long METADATA_TIMEOUT_MS = 5_000;
  /** An address where nothing listens (connections are refused at once). */
  static final String NOWHERE = "127.0.0.1:1";
  static final long ONLY_CLIENT_RETRY_MS = 100;

  /** Held: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
  private static final java.util.logging.Logger GRPC_LOG =
      java.util.logging.Logger.getLogger("org.apache.ratis.thirdparty.io.grpc");

  static {
    // Ratis clients in this JVM log every NotLeader and refused connection at ERROR, and gRPC
    // (through java.util.logging) every reconnection; the tests report what they observe themselves.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.ratis")).setLevel(Level.OFF);
    GRPC_LOG.setLevel(java.util.logging.Level.OFF);
  }

  private final Path dir;
  private final LocalCluster cluster;
  private final ClusterTopology topology;
  private final RatisMetadataClient metadata;
  private final List<DynamoDbClient> routers = new ArrayList<>();
  /** A partition's group-info client and the members it was built for (rebuilt when they change). */
  private record Probe(RaftClient client, List<ReplicaPeer> peers) {}

  private final Map<PartitionId, Probe> probes = new ConcurrentHashMap<>();
  private final RemotePartitionClient replicaReads;
  private final Thread stopOnExit;
  private volatile boolean failed;

  private ChaosCluster(Path dir, LocalCluster cluster, ClusterTopology topology, Thread stopOnExit) {
    this.dir = dir;
    this.cluster = cluster;
    this.topology = topology;
    this.stopOnExit = stopOnExit;
    this.metadata = new RatisMetadataClient(topology.byRole(Role.METADATA).stream()
        .map(p -> new MetadataPeer(p.name(), p.address())).toList(), METADATA_TIMEOUT_MS);
    for (ProcessSpec router : topology.byRole(Role.ROUTER)) {
      routers.add(client(URI.create("http://" + router.address())));
    }
    this.replicaReads = new RemotePartitionClient(this::peers, ReplicationOptions.defaults());
  }

  /**
   * Starts a cluster; {@code placement} may move processes (the network-partition test's
   * namespaces) given the layout's names and ports.
   */
  static ChaosCluster start(String purpose, Function<ClusterTopology, ProcessPlacement> placement) {
    return start(purpose, placement, 1, options -> options);
  }

  /**
   * Starts a cluster with {@code nodesPerAz} storage nodes in each of the three AZs and the
   * settings {@code settings} makes (e.g. a shorter repair timeout).
   */
  static ChaosCluster start(String purpose, Function<ClusterTopology, ProcessPlacement> placement, int nodesPerAz,
      java.util.function.UnaryOperator<ClusterOptions> settings) {
    Path dir;
    try {
      dir = Files.createTempDirectory("cairn-chaos-" + purpose + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ClusterPorts ports = ClusterPorts.find(ROUTERS, 3 * nodesPerAz);
    ClusterOptions options = settings.apply(ports.applyTo(ClusterOptions.defaults(dir))
        .withShape(3, nodesPerAz, ROUTERS)
        .withHeapMbMax(HEAP_MB)
        .withTimeouts(READY_TIMEOUT_MS, STOP_WAIT_MS));
    LocalCluster cluster = new LocalCluster(options, System::currentTimeMillis,
        line -> System.out.println("[chaos-cluster] " + line), placement.apply(options.layout()));
    // The processes run in sessions of their own: if this JVM dies, they must not outlive it.
    Thread stopOnExit = new Thread(() -> stopQuietly(cluster), "stop-chaos-cluster");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    long t0 = System.nanoTime();
    ClusterTopology topology;
    try {
      topology = cluster.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException("the chaos cluster in " + dir + " did not start: " + e.getMessage() + "\n"
          + logTails(options.layout()), e);
    }
    System.out.printf("[chaos-cluster] ready after %.1f s in %s (routers %s)%n", (System.nanoTime() - t0) / 1e9, dir,
        topology.byRole(Role.ROUTER).stream().map(ProcessSpec::address).toList());
    return new ChaosCluster(dir, cluster, topology, stopOnExit);
  }

  static DynamoDbClient client(URI endpoint) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCHAOS", "chaos-secret")))
        // One attempt per call: a retried PutItem could take effect twice, which is not the
        // single operation the history records.
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(API_CALL_TIMEOUT))
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32).connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(API_CALL_TIMEOUT))
        .build();
  }

  ClusterTopology topology() {
    return topology;
  }

  List<DynamoDbClient> routers() {
    return routers;
  }

  List<String> storageNodes() {
    return topology.byRole(Role.STORAGE).stream().map(ProcessSpec::name).toList();
  }

  /** SIGKILL, as a crash; returns the pid. */
  long kill(String name) {
    return cluster.kill(name);
  }

  /** Starts the process again with its data and waits until it answers; returns the new pid. */
  long restart(String name) {
    return cluster.restart(name);
  }

  /** The table as the metadata service holds it (partition map included). */
  TableDefinition table(String name) {
    for (TableRecord record : metadata.listTables().tables()) {
      if (record.name().equals(name)) {
        return TableCodec.decode(record.definition());
      }
    }
    throw new AssertionError("table " + name + " is not in the metadata service");
  }

  /** The storage nodes holding each partition's replicas, as the metadata service assigned them. */
  List<String> replicas(PartitionId partition) {
    for (PartitionReplicas p : metadata.listPartitions().partitions()) {
      if (p.partitionId().equals(partition)) {
        return p.replicaNodeIds();
      }
    }
    return List.of();
  }

  private List<ReplicaPeer> peers(PartitionId partition) {
    List<String> nodes = replicas(partition);
    if (nodes.isEmpty()) {
      throw new IllegalStateException("partition " + partition + " is not placed");
    }
    return nodes.stream().map(n -> ReplicaPeer.full(n, topology.byName(n).address())).toList();
  }

  /**
   * One replica's Ratis state.
   *
   * @param role LEADER, FOLLOWER, CANDIDATE, … or UNREACHABLE (then {@code error} says why)
   * @param term the leader's term for a leader, else the term of the last entry in its log
   * @param leader whom a follower follows (empty if none or not a follower)
   */
  record ReplicaState(String node, String role, long term, long committed, long applied, long lastIndex,
      String leader, String error) {
    boolean isLeader() {
      return role.equals("LEADER");
    }

    boolean reachable() {
      return !role.equals("UNREACHABLE");
    }

    String describe() {
      return reachable()
          ? String.format("%s %s term=%d committed=%d applied=%d last=%d%s", node, role, term, committed, applied,
              lastIndex, leader.isEmpty() ? "" : " leader=" + leader)
          : node + " UNREACHABLE (" + error + ")";
    }
  }

  /** What {@code node} says about its replica of {@code partition} (Ratis group info). */
  ReplicaState replica(PartitionId partition, String node) {
    return replica(partition, node, peers(partition));
  }

  /** The same, through a probe of the members {@code peers} (looked up once by the caller). */
  private ReplicaState replica(PartitionId partition, String node, List<ReplicaPeer> peers) {
    try {
      GroupInfoReply info = probe(partition, peers).getGroupManagementApi(RaftPeerId.valueOf(node))
          .info(PartitionGroups.groupId(partition));
      RoleInfoProto role = info.getRoleInfoProto();
      var log = info.getLogInfoProto();
      long term = role.hasLeaderInfo() ? role.getLeaderInfo().getTerm() : log.getLastEntry().getTerm();
      String leader = role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()
          ? role.getFollowerInfo().getLeaderInfo().getId().getId().toStringUtf8() : "";
      return new ReplicaState(node, role.getRole().name(), term, log.getCommitted().getIndex(),
          log.getApplied().getIndex(), log.getLastEntry().getIndex(), leader, "");
    } catch (IOException | RuntimeException e) {
      return new ReplicaState(node, "UNREACHABLE", -1, -1, -1, -1, "", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** Every replica's state, by node. */
  Map<String, ReplicaState> replicaStates(PartitionId partition) {
    Map<String, ReplicaState> states = new LinkedHashMap<>();
    List<ReplicaPeer> peers = replicas(partition).stream()
        .map(n -> ReplicaPeer.full(n, topology.byName(n).address())).toList();
    for (ReplicaPeer peer : peers) {
      states.put(peer.nodeId(), replica(partition, peer.nodeId(), peers));
    }
    return states;
  }

  /** The replica that leads, by its own account (the highest term if two claim it), if any. */
  static Optional<ReplicaState> leader(Map<String, ReplicaState> states) {
    return states.values().stream().filter(ReplicaState::isLeader).max(Comparator.comparingLong(ReplicaState::term));
  }

  /** The item bytes one replica holds under a storage key (a stale read: whatever it applied). */
  byte[] readFrom(PartitionId partition, byte[] storageKey, String node) {
    replicaReads.refreshIfMembershipChanged(partition); // a repaired group has a new member
    try {
      return replicaReads.getFrom(partition, storageKey, node).get(API_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("cannot read partition " + partition + " on " + node + ": " + e, e);
    }
  }

  /**
   * A Ratis client of {@code partition}'s group that can reach only {@code node}: the other members'
   * addresses lead nowhere, as for a client that knows only the old leader. It retries every
   * {@link #ONLY_CLIENT_RETRY_MS} until closed. Close it.
   */
  RaftClient clientReachingOnly(PartitionId partition, String node) {
    List<ReplicaPeer> peers = peers(partition).stream()
        .map(r -> r.nodeId().equals(node) ? r : ReplicaPeer.full(r.nodeId(), NOWHERE)).toList();
    RaftProperties properties = new RaftProperties();
    RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS));
    return RaftClient.newBuilder().setProperties(properties).setRaftGroup(PartitionGroups.group(partition, peers))
        .setLeaderId(RaftPeerId.valueOf(node))
        .setRetryPolicy(RetryPolicies.retryForeverWithSleep(
            TimeDuration.valueOf(ONLY_CLIENT_RETRY_MS, TimeUnit.MILLISECONDS)))
        .build();
  }

  /**
   * A group-info client of the partition's members {@code peers} (as the metadata service names
   * them now), kept while they stay the same: the failover test polls every 100 ms, and a lookup
   * per call would load the metadata service while it measures.
   */
  private RaftClient probe(PartitionId partition, List<ReplicaPeer> peers) {
    Probe known = probes.get(partition);
    if (known != null && known.peers().equals(peers)) {
      return known.client();
    }
    Probe fresh = new Probe(probeClient(partition, peers), peers);
    Probe previous = probes.put(partition, fresh);
    if (previous != null) {
      closeQuietly(previous.client());
    }
    return fresh.client();
  }

  private static RaftClient probeClient(PartitionId partition, List<ReplicaPeer> peers) {
    RaftProperties properties = new RaftProperties();
    RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS));
    return RaftClient.newBuilder().setProperties(properties).setRaftGroup(PartitionGroups.group(partition, peers))
        .setRetryPolicy(RetryPolicies.noRetry()).build();
  }

  private static void closeQuietly(RaftClient client) {
    try {
      client.close();
    } catch (IOException e) {
      // only channels to release
    }
  }

  /**
   * The voting members of the partition's group as {@code node}'s replica knows them; empty when
   * the node does not answer or hosts no replica of it (e.g. after it dropped a replaced one).
   */
  Optional<List<String>> membersSeenBy(PartitionId partition, String node) {
    List<ReplicaPeer> peers = new ArrayList<>(peers(partition));
    if (peers.stream().noneMatch(p -> p.nodeId().equals(node))) {
      peers.add(ReplicaPeer.full(node, topology.byName(node).address()));
    }
    try (RaftClient client = probeClient(partition, peers)) {
      GroupInfoReply info = client.getGroupManagementApi(RaftPeerId.valueOf(node)).info(PartitionGroups.groupId(partition));
      if (!info.isSuccess() || info.getConf().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(info.getConf().get().getPeersList().stream().map(p -> p.getId().toStringUtf8()).toList());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Asks {@code node}'s replica (the leader's, say) to take a snapshot now, however few entries it
   * applied since the last one (Ratis otherwise skips it below a gap of 1,024); returns its index.
   */
  long snapshot(PartitionId partition, String node) {
    try {
      var reply = probe(partition, peers(partition)).getSnapshotManagementApi(RaftPeerId.valueOf(node))
          .create(true, 10_000);
      if (!reply.isSuccess()) {
        throw new AssertionError("snapshot of " + partition + " on " + node + " failed: " + reply.getException());
      }
      return reply.getLogIndex();
    } catch (IOException e) {
      throw new AssertionError("snapshot of " + partition + " on " + node + " failed: " + e, e);
    }
  }

  /** The partition's assignment as the metadata service holds it now, if any. */
  Optional<PartitionReplicas> assignment(PartitionId partition) {
    return metadata.listPartitions().partitions().stream().filter(p -> p.partitionId().equals(partition)).findFirst();
  }

  String az(String node) {
    return topology.byName(node).az();
  }

  Path logFile(String name) {
    return topology.byName(name).logFile();
  }

  io.cairn.server.cluster.ClusterStatus status() {
    return cluster.status();
  }

  /** Marks the run failed: the directory is kept and named when the cluster stops. */
  void markFailed() {
    failed = true;
  }

  String logTails() {
    return logTails(topology);
  }

  /** The last lines of every process's log. */
  static String logTails(ClusterTopology topology) {
    StringBuilder out = new StringBuilder();
    for (ProcessSpec p : topology.processes()) {
      out.append("==> ").append(p.logFile()).append(" (last ").append(LOG_TAIL_LINES).append(" lines) <==\n")
          .append(tail(p.logFile())).append('\n');
    }
    return out.toString();
  }

  private static String tail(Path log) {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long from = Math.max(0, f.length() - LOG_TAIL_BYTES_MAX);
      byte[] bytes = new byte[(int) (f.length() - from)];
      f.seek(from);
      f.readFully(bytes);
      List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    routers.forEach(DynamoDbClient::close);
    probes.values().forEach(p -> closeQuietly(p.client()));
    replicaReads.close();
    metadata.close();
    stopQuietly(cluster);
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
    if (failed || Boolean.getBoolean("cairn.chaos.keep")) {
      System.out.println("[chaos-cluster] kept " + dir + " (data and logs)");
    } else {
      deleteTree(dir);
    }
  }

  private static void stopQuietly(LocalCluster cluster) {
    try {
      cluster.stop();
    } catch (RuntimeException e) {
      System.err.println("[chaos-cluster] could not stop the cluster in " + cluster.dir() + ": " + e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("[chaos-cluster] could not delete " + root + ": " + e);
    }
  }

  /**
   * Prints every process's log tail when a test fails and keeps the directory. Register it with
   * {@code @RegisterExtension} and hand it the cluster once started.
   */
  static final class LogsOnFailure implements TestWatcher {
    private volatile ChaosCluster cluster;

    ChaosCluster watch(ChaosCluster started) {
      this.cluster = started;
      return started;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      ChaosCluster c = cluster;
      if (c != null) {
        c.markFailed();
        System.out.println("[chaos-cluster] " + context.getDisplayName() + " failed: " + cause + "\n" + c.logTails());
      }
    }
  }
}
