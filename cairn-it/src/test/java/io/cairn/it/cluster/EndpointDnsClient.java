package io.cairn.it.cluster;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.http.conn.DnsResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The client side of {@link EndpointDnsClientTest}, run in a child JVM whose class path registers
 * {@code CairnDnsResolverProvider}: an unmodified AWS SDK v2 {@code DynamoDbClient} with endpoint
 * {@code http://dynamodb.local.cairn.internal:PORT}, so every host lookup goes
 * {@code InetAddress} → the provider → Cairn's DNS server.
 *
 * <p>Connections live at most {@link #CONNECTION_TTL} (the Apache pool closes an expired connection
 * when it is next leased), so nearly every request opens a new connection, and every new connection
 * resolves the name again: a pooled keep-alive connection would pin the client to one router. The
 * SDK's retries are off, so a request that fails is seen as failed. Apache's connection operator
 * tries the resolved addresses in order, so the first address is the router a new connection goes to
 * (the next ones only if the first refuses); a {@link DnsResolver} wrapper records each answer.
 *
 * <p>Usage: {@code spread URL REQUESTS THREADS CACHE_TTL_S} prints per-first-address counts;
 * {@code run URL DURATION_MS CACHE_TTL_S} prints one {@code req} line per request until the duration
 * has passed. {@code CACHE_TTL_S} is the JVM's positive lookup cache ({@code networkaddress.cache.ttl}).
 */
public final class EndpointDnsClient {
  static final Duration CONNECTION_TTL = Duration.ofMillis(1);
  static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(10);
  static final int SPREAD_THREADS_MAX = 16;

  private EndpointDnsClient() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    URI endpoint = URI.create(args[1]);
    String cacheTtlS = args[args.length - 1];
    // Before the first lookup: InetAddress reads the cache policy once.
    Security.setProperty("networkaddress.cache.ttl", cacheTtlS);
    Security.setProperty("networkaddress.cache.negative.ttl", "0");
    switch (mode) {
      case "spread" -> spread(endpoint, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "run" -> run(endpoint, Long.parseLong(args[2]));
      default -> throw new IllegalArgumentException("mode " + mode + ": spread or run");
    }
  }

  /** Every answer the HTTP client got, in order, with the first address (the one it connects to). */
  static final class RecordingResolver implements DnsResolver {
    final AtomicInteger lookups = new AtomicInteger();
    final Map<String, Integer> firstCounts = new TreeMap<>();
    final ThreadLocal<String> lastAnswer = new ThreadLocal<>();

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      InetAddress[] all = InetAddress.getAllByName(host);
      lookups.incrementAndGet();
      synchronized (firstCounts) {
        firstCounts.merge(all[0].getHostAddress(), 1, Integer::sum);
      }
      lastAnswer.set(Arrays.stream(all).map(InetAddress::getHostAddress).collect(Collectors.joining(",")));
      return all;
    }
  }

  static DynamoDbClient client(URI endpoint, DnsResolver resolver, int connectionsMax) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("cairn-test", "cairn-test-secret")))
        .httpClient(ApacheHttpClient.builder()
            .dnsResolver(resolver)
            .connectionTimeToLive(CONNECTION_TTL)
            .maxConnections(connectionsMax)
            .build())
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(API_CALL_TIMEOUT))
        .build();
  }

  private static void spread(URI endpoint, int requests, int threads) throws Exception {
    if (threads < 1 || threads > SPREAD_THREADS_MAX) {
      throw new IllegalArgumentException("threads " + threads + " not in 1.." + SPREAD_THREADS_MAX);
    }
    RecordingResolver resolver = new RecordingResolver();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = new ArrayList<>();
    long t0 = System.nanoTime();
    try (DynamoDbClient dynamo = client(endpoint, resolver, threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          while (next.getAndIncrement() < requests) {
            try {
              dynamo.describeLimits();
              ok.incrementAndGet();
            } catch (RuntimeException e) {
              synchronized (failures) {
                failures.add(e.toString());
              }
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    resolver.firstCounts.forEach((a, c) -> System.out.println("first " + a + " " + c));
    System.out.println("lookups " + resolver.lookups.get());
    System.out.println("ok " + ok.get());
    System.out.println("failed " + failures.size());
    failures.stream().limit(5).forEach(f -> System.out.println("failure " + f));
    System.out.printf("elapsedMs %d%n", (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * One request at a time until the duration has passed; per request one line:
   * {@code req EPOCH_MS ok|fail ANSWER|- [ERROR]}, where ANSWER is the addresses the request's new
   * connection resolved (first = the one connected to), or {@code -} when it reused a connection.
   */
  private static void run(URI endpoint, long durationMs) {
    RecordingResolver resolver = new RecordingResolver();
    long endNs = System.nanoTime() + durationMs * 1_000_000;
    try (DynamoDbClient dynamo = client(endpoint, resolver, 1)) {
      System.out.println("running");
      System.out.flush();
      while (System.nanoTime() < endNs) {
        resolver.lastAnswer.remove();
        String outcome;
        try {
          dynamo.describeLimits();
          outcome = "ok";
        } catch (RuntimeException e) {
          outcome = "fail";
          System.out.println("error " + e.toString().replace('\n', ' '));
        }
        String answer = resolver.lastAnswer.get();
        System.out.println("req " + System.currentTimeMillis() + " " + outcome + " " + (answer == null ? "-" : answer));
      }
    }
    System.out.println("done");
  }
}
