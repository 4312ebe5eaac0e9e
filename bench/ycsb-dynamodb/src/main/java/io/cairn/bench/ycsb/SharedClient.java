package io.cairn.bench.ycsb;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One SDK client per endpoint for all YCSB threads of a run, reference-counted: YCSB calls init()
 * and cleanup() once per thread, and the last cleanup closes the connection pools. With several
 * endpoints (a cluster's routers) each new thread gets the next endpoint's client.
 */
final class SharedClient {
  private static java.util.List<DynamoDbClient> clients;
  private static int nextClient;
  private static BindingConfig clientConfig;
  private static int leases;

  private SharedClient() {}

  /** A handle on the shared client; close it exactly once. */
  static final class Lease implements AutoCloseable {
    private final DynamoDbClient leased;
    private boolean closed;

    private Lease(DynamoDbClient leased) {
      this.leased = leased;
    }

    DynamoDbClient client() {
      return leased;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        release();
      }
    }
  }

  static synchronized Lease acquire(BindingConfig config) {
    if (clients == null) {
      clients = config.endpoints().stream().map(endpoint -> build(config, endpoint)).toList();
      clientConfig = config;
    } else if (!clientConfig.equals(config)) {
      throw new IllegalStateException("all YCSB threads must use the same binding properties");
    }
    leases++;
    return new Lease(clients.get(nextClient++ % clients.size()));
  }

  private static synchronized void release() {
    leases--;
    if (leases == 0) {
      clients.forEach(DynamoDbClient::close);
      clients = null;
      clientConfig = null;
    }
  }

  static DynamoDbClient build(BindingConfig config) {
    return build(config, config.endpoint());
  }

  static DynamoDbClient build(BindingConfig config, java.net.URI endpoint) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(config.region()))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey())))
        .httpClientBuilder(
            ApacheHttpClient.builder()
                .maxConnections(config.connectionsMax())
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30)))
        .build();
  }
}
