package io.cairn.bench.ycsb;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One SDK client for all YCSB threads of a run, reference-counted: YCSB calls init() and cleanup()
 * once per thread, and the last cleanup closes the connection pool.
 */
final class SharedClient {
  private static DynamoDbClient client;
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
    if (client == null) {
      client = build(config);
      clientConfig = config;
    } else if (!clientConfig.equals(config)) {
      throw new IllegalStateException("all YCSB threads must use the same binding properties");
    }
    leases++;
    return new Lease(client);
  }

  private static synchronized void release() {
    leases--;
    if (leases == 0) {
      client.close();
      client = null;
      clientConfig = null;
    }
  }

  static DynamoDbClient build(BindingConfig config) {
    return DynamoDbClient.builder()
        .endpointOverride(config.endpoint())
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
