package io.cairn.it.support;

import io.cairn.server.cluster.ClusterOptions;
import io.cairn.server.cluster.ClusterTopology;
import io.cairn.server.cluster.LocalCluster;
import io.cairn.server.cluster.ProcessSpec;
import io.cairn.server.cluster.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * One local 3-AZ cluster shared by every cluster test of a test JVM: three metadata members, one
 * storage node per AZ (so every partition is a replication group of three, one replica per AZ), two
 * routers ({@code router-1} on 127.0.1.1, {@code router-2} on 127.0.1.2) and the endpoint manager,
 * started by {@link LocalCluster} in a temporary directory on ports that were free.
 *
 * <p>It starts on first use ({@link #shared()}) and stops when the JVM exits, so the ~30 s start is
 * paid once however many test classes use it. Tests must therefore leave it as they found it (use
 * fresh table names; a test that kills a process starts its own cluster). If it cannot start, the
 * failure carries the tail of every process log; {@link #logTails()} gives the same for a test
 * that fails later (see {@code ClusterLogsOnFailure}).
 *
 * <p>System properties: {@code cairn.it.cluster.heapMb} (each process's heap, default 384),
 * {@code cairn.it.cluster.keep=true} keeps the directory (data and logs) after the JVM exits,
 * {@code cairn.it.cluster.dir=DIR} uses the cluster already running in DIR ({@code bin/cairn
 * cluster start --dir DIR}) and leaves it running: a quick loop while working on cluster code.
 */
public final class ClusterTarget {
  public static final int ROUTERS = 2;
  /**
   * Each partition replica takes an 8 MB direct buffer (its Ratis log's write buffer) out of a
   * storage node's direct memory, which is as large as its heap: 384 MB holds ~45 replicas.
   */
  public static final int HEAP_MB_DEFAULT = 384;
  /** Nine JVMs starting together on two busy cores; a healthy start takes 20–40 s. */
  public static final long READY_TIMEOUT_MS = 180_000;
  public static final long STOP_WAIT_MS = 10_000;
  public static final int LOG_TAIL_LINES = 20;
  /** Log lines with a stack trace run to kilobytes; the first part says what happened. */
  public static final int LOG_LINE_CHARS_MAX = 600;
  private static final String ACCESS_KEY_ID = SignedJsonClient.ACCESS_KEY_ID;
  private static final String SECRET_ACCESS_KEY = SignedJsonClient.SECRET_ACCESS_KEY;

  private static ClusterTarget shared;
  private static RuntimeException startFailure;

  private final LocalCluster cluster;
  private final ClusterTopology topology;
  private final Path dir;
  private final double startSeconds;

  private ClusterTarget(LocalCluster cluster, ClusterTopology topology, Path dir, double startSeconds) {
    this.cluster = cluster;
    this.topology = topology;
    this.dir = dir;
    this.startSeconds = startSeconds;
  }

  /**
   * The JVM's cluster, started on the first call. A start that failed is not retried: every later
   * caller gets the same failure at once instead of waiting out another timeout.
   */
  public static synchronized ClusterTarget shared() {
    if (shared != null) {
      return shared;
    }
    if (startFailure != null) {
      throw new IllegalStateException("the shared test cluster failed to start earlier: " + startFailure.getMessage(),
          startFailure);
    }
    try {
      shared = start();
      return shared;
    } catch (RuntimeException e) {
      startFailure = e;
      throw e;
    }
  }

  /** Whether {@link #shared()} has started a cluster in this JVM (log tails are worth printing). */
  public static synchronized boolean running() {
    return shared != null;
  }

  private static ClusterTarget start() {
    String existing = System.getProperty("cairn.it.cluster.dir");
    if (existing != null) {
      return attach(Path.of(existing).toAbsolutePath());
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("cairn-it-cluster-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ClusterPorts ports = ClusterPorts.find(2);
    ClusterOptions options = ports.applyTo(ClusterOptions.defaults(dir))
        .withShape(3, 1, ROUTERS)
        .withHeapMbMax(Integer.getInteger("cairn.it.cluster.heapMb", HEAP_MB_DEFAULT))
        .withTimeouts(READY_TIMEOUT_MS, STOP_WAIT_MS);
    LocalCluster cluster = new LocalCluster(options, System::currentTimeMillis,
        line -> System.out.println("[test-cluster] " + line));
    // Registered before the start, so a JVM that dies while the cluster starts still stops it
    // (the processes run in sessions of their own and would outlive it).
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndClean(cluster, dir), "stop-test-cluster"));
    long t0 = System.nanoTime();
    ClusterTopology topology;
    try {
      topology = cluster.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException("the test cluster in " + dir + " did not start: " + e.getMessage()
          + "\n" + logTails(options.layout()), e);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("[test-cluster] ready after %.1f s in %s (routers %s)%n", seconds, dir,
        topology.byRole(Role.ROUTER).stream().map(ProcessSpec::address).toList());
    return new ClusterTarget(cluster, topology, dir, seconds);
  }

  private static ClusterTarget attach(Path dir) {
    LocalCluster cluster = new LocalCluster(ClusterOptions.defaults(dir));
    ClusterTopology topology = cluster.topology();
    System.out.println("[test-cluster] using the running cluster in " + dir);
    return new ClusterTarget(cluster, topology, dir, 0);
  }

  private static void stopAndClean(LocalCluster cluster, Path dir) {
    try {
      if (Files.exists(cluster.dir().resolve(ClusterTopology.FILE_NAME))) {
        cluster.stop();
      }
    } catch (RuntimeException e) {
      System.err.println("[test-cluster] could not stop the cluster in " + dir + ": " + e);
    }
    if (Boolean.getBoolean("cairn.it.cluster.keep")) {
      System.err.println("[test-cluster] kept " + dir);
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("[test-cluster] could not delete " + dir + ": " + e);
    }
  }

  public LocalCluster cluster() {
    return cluster;
  }

  public Path dir() {
    return dir;
  }

  public double startSeconds() {
    return startSeconds;
  }

  /** {@code http://127.0.1.N:port} of {@code router-N}, N from 1. */
  public URI router(int n) {
    ProcessSpec router = topology.byName("router-" + n);
    return URI.create("http://" + router.host() + ":" + router.port());
  }

  public List<URI> routers() {
    List<URI> out = new ArrayList<>();
    for (int n = 1; n <= ROUTERS; n++) {
      out.add(router(n));
    }
    return out;
  }

  /** An SDK client of {@code router-N}, configured as a user would (no retries changed). */
  public DynamoDbClient client(int router) {
    return syncBuilder(router(router)).build();
  }

  /**
   * An SDK client that sends each request to the next router in turn (router-1, router-2, router-1,
   * …), as requests through a DNS name spread over a fleet of routers would; so every test that
   * uses it also checks that what one router did is visible through the other.
   *
   * <p>Reads that leave ConsistentRead unset are sent strongly consistent (see
   * {@link AlternatingRouters}): the SDK tests read what they have just written, which DynamoDB
   * promises only to strongly consistent reads, and an eventually consistent read through the other
   * router may be answered by a follower a replication round trip behind (a clean-clone CI run
   * under load read 2 of 30 items just written). Reads that ask for eventual consistency keep it;
   * the cluster differential test sends eventually consistent reads and allows their staleness.
   */
  public DynamoDbClient alternatingClient() {
    return syncBuilder(router(1))
        .overrideConfiguration(c -> c.addExecutionInterceptor(new AlternatingRouters(routers())))
        .build();
  }

  /** The asynchronous client's counterpart of {@link #alternatingClient()}. */
  public DynamoDbAsyncClient alternatingAsyncClient() {
    return DynamoDbAsyncClient.builder()
        .endpointOverride(router(1))
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .httpClient(NettyNioAsyncHttpClient.builder().build())
        .overrideConfiguration(c -> c.addExecutionInterceptor(new AlternatingRouters(routers())))
        .build();
  }

  private static software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder syncBuilder(URI endpoint) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .httpClient(ApacheHttpClient.builder().build());
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
  }

  /**
   * Points each request at the next router. It runs before the request is signed, so the signature
   * covers the router's own Host header, as it would behind DNS. A GetItem, BatchGetItem, or a Query
   * or Scan of a table (not of an index, where a GSI refuses it) without ConsistentRead asks for it.
   */
  private static final class AlternatingRouters implements ExecutionInterceptor {
    private final List<URI> routers;
    private final AtomicInteger next = new AtomicInteger();

    AlternatingRouters(List<URI> routers) {
      this.routers = List.copyOf(routers);
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
      return switch (context.request()) {
        case GetItemRequest get when get.consistentRead() == null -> get.toBuilder().consistentRead(true).build();
        case QueryRequest query when query.consistentRead() == null && query.indexName() == null ->
            query.toBuilder().consistentRead(true).build();
        case ScanRequest scan when scan.consistentRead() == null && scan.indexName() == null ->
            scan.toBuilder().consistentRead(true).build();
        case BatchGetItemRequest batch -> {
          java.util.Map<String, KeysAndAttributes> tables = new java.util.LinkedHashMap<>();
          batch.requestItems().forEach((table, keys) -> tables.put(table,
              keys.consistentRead() == null ? keys.toBuilder().consistentRead(true).build() : keys));
          yield batch.toBuilder().requestItems(tables).build();
        }
        default -> context.request();
      };
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
      URI router = routers.get(Math.floorMod(next.getAndIncrement(), routers.size()));
      return context.httpRequest().toBuilder().host(router.getHost()).port(router.getPort()).build();
    }
  }

  /**
   * A {@link DynamoTarget} view for the differential test: {@link DynamoTarget#endpoint()} is
   * router-1, {@link #routers()} has both; closing the view leaves the shared cluster running.
   */
  public DynamoTarget asTarget() {
    ClusterTarget self = this;
    return new DynamoTarget() {
      @Override
      public URI endpoint() {
        return self.router(1);
      }

      @Override
      public List<URI> endpoints() {
        return self.routers();
      }

      @Override
      public String name() {
        return "cairn-cluster";
      }

      @Override
      public void close() {}
    };
  }

  /**
   * The last lines of every data-path process's log (metadata, storage, routers), for a failure
   * report; the endpoint manager's DNS work has no part in an API test's outcome.
   */
  public String logTails() {
    return logTails(topology);
  }

  private static String logTails(ClusterTopology topology) {
    StringBuilder out = new StringBuilder();
    for (ProcessSpec p : topology.processes()) {
      if (p.role() == Role.ENDPOINT) {
        continue;
      }
      out.append("---- ").append(p.name()).append(" (").append(p.logFile()).append(") ----\n");
      out.append(tail(p.logFile())).append('\n');
    }
    return out.toString();
  }

  private static String tail(Path log) {
    try {
      if (!Files.exists(log)) {
        return "(no log)";
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()).stream()
          .map(line -> line.length() > LOG_LINE_CHARS_MAX ? line.substring(0, LOG_LINE_CHARS_MAX) + "…" : line)
          .toList());
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read: " + e + ")";
    }
  }
}
