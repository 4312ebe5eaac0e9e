package io.cairn.it.crash;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writer threads that put items as fast as the server takes them and record each acknowledgement.
 * Errors (the server being killed) end nothing: a writer keeps trying until stopped, so writes are
 * in flight at the moment of the kill.
 */
final class WriteLoad implements AutoCloseable {
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final DynamoDbClient client;
  private final String table;
  private final AcknowledgedWrites acks;
  private final String cycleTag;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();

  WriteLoad(URI endpoint, String table, AcknowledgedWrites acks, String cycleTag) {
    this.client = client(endpoint);
    this.table = table;
    this.acks = acks;
    this.cycleTag = cycleTag;
  }

  static DynamoDbClient client(URI endpoint) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCRASH", "crash-secret")))
        // No SDK retries: each call is one attempt, so an acknowledgement is unambiguous.
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(10)).build())
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32).connectionTimeout(Duration.ofSeconds(2)))
        .build();
  }

  void start() {
    for (int writer = 0; writer < acks.writers(); writer++) {
      int w = writer;
      Thread t = new Thread(() -> run(w), "crash-writer-" + writer);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void run(int writer) {
    long seq = 0;
    while (running.get()) {
      seq++;
      try {
        if (seq % 4 == 0) {
          long version = acks.nextVersion(writer);
          client.putItem(r -> r.tableName(table).item(Map.of(
              "pk", AttributeValue.fromS("version-" + writer),
              "version", AttributeValue.fromN(Long.toString(version)))));
          acks.versionAcknowledged(writer, version);
        } else {
          String key = cycleTag + "-w" + writer + "-" + seq;
          client.putItem(r -> r.tableName(table).item(Map.of(
              "pk", AttributeValue.fromS(key),
              "value", AttributeValue.fromS(AcknowledgedWrites.valueFor(key)))));
          acks.keyAcknowledged(key);
        }
      } catch (RuntimeException e) {
        pause(); // the server is down or restarting; keep the pressure on without spinning
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running.set(false);
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    client.close();
  }
}
