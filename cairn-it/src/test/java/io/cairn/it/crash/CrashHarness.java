package io.cairn.it.crash;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Kill -9 under write load, restart on the same data directory, check that every acknowledged
 * write survived. The server is anything a {@link Launcher} can start on a directory: Cairn as a
 * child process, or DynamoDB Local on SQLite files (which checks the harness itself).
 */
final class CrashHarness {
  static final String TABLE = "crash";
  static final int BATCH_GET_KEYS_MAX = 100;
  static final int UNPROCESSED_ROUNDS_MAX = 50;

  /** A server started on a data directory that can be SIGKILLed. */
  interface Server {
    URI endpoint();

    void kill();
  }

  interface Launcher {
    Server start(Path dataDir);
  }

  /** What a run found; {@code lost} must be empty. */
  record Outcome(long seed, int cycles, int ackedKeys, List<String> lost) {}

  private final Launcher launcher;
  private final Path dataDir;
  private final int writers;
  private final Random random;
  private final long seed;

  CrashHarness(Launcher launcher, Path dataDir, int writers, long seed) {
    this.launcher = launcher;
    this.dataDir = dataDir;
    this.writers = writers;
    this.seed = seed;
    this.random = new Random(seed);
  }

  /**
   * Runs {@code cycles} rounds of: start, write for a random time between {@code loadMin} and
   * {@code loadMax}, SIGKILL mid-load; then starts once more and verifies.
   */
  Outcome run(int cycles, Duration loadMin, Duration loadMax) {
    AcknowledgedWrites acks = new AcknowledgedWrites(writers);
    for (int cycle = 0; cycle < cycles; cycle++) {
      Server server = launcher.start(dataDir);
      if (cycle == 0) {
        createTable(server.endpoint());
      }
      WriteLoad load = new WriteLoad(server.endpoint(), TABLE, acks, "c" + cycle);
      load.start();
      long loadMs = loadMin.toMillis() + (long) (random.nextDouble() * (loadMax.toMillis() - loadMin.toMillis()));
      sleep(loadMs);
      server.kill(); // writers are mid-request: some writes are in flight, unacknowledged
      load.close();
      System.out.printf("crash: cycle %d killed after %d ms of load; %d keys acknowledged so far%n",
          cycle, loadMs, acks.ackedKeys().size());
    }
    Server server = launcher.start(dataDir);
    try {
      List<String> lost = verify(server.endpoint(), acks);
      return new Outcome(seed, cycles, acks.ackedKeys().size(), lost);
    } finally {
      server.kill();
    }
  }

  private static void createTable(URI endpoint) {
    try (DynamoDbClient client = WriteLoad.client(endpoint)) {
      client.createTable(r -> r.tableName(TABLE)
          .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
          .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
          .billingMode(BillingMode.PAY_PER_REQUEST));
      client.waiter().waitUntilTableExists(r -> r.tableName(TABLE), w -> w.waitTimeout(Duration.ofSeconds(60)));
    }
  }

  /** Every acknowledged key with its value, every version item at or past its acknowledged version. */
  private List<String> verify(URI endpoint, AcknowledgedWrites acks) {
    List<String> problems = new ArrayList<>();
    try (DynamoDbClient client = WriteLoad.client(endpoint)) {
      List<String> keys = new ArrayList<>(acks.ackedKeys());
      for (int from = 0; from < keys.size(); from += BATCH_GET_KEYS_MAX) {
        List<String> chunk = keys.subList(from, Math.min(keys.size(), from + BATCH_GET_KEYS_MAX));
        Map<String, String> found = batchGet(client, chunk);
        for (String key : chunk) {
          String value = found.get(key);
          if (value == null) {
            problems.add("acknowledged key missing: " + key);
          } else if (!value.equals(AcknowledgedWrites.valueFor(key))) {
            problems.add("acknowledged key " + key + " has value " + value);
          }
        }
      }
      for (int writer = 0; writer < acks.writers(); writer++) {
        String key = "version-" + writer;
        Map<String, AttributeValue> item =
            client.getItem(r -> r.tableName(TABLE).consistentRead(true).key(Map.of("pk", AttributeValue.fromS(key)))).item();
        long acked = acks.ackedVersion(writer);
        long attempted = acks.attemptedVersion(writer);
        long stored = item == null || item.isEmpty() ? 0 : Long.parseLong(item.get("version").n());
        if (stored < acked || stored > attempted) {
          problems.add(key + " holds version " + stored + "; acknowledged " + acked + ", attempted " + attempted);
        }
      }
    }
    return problems;
  }

  private static Map<String, String> batchGet(DynamoDbClient client, List<String> keys) {
    List<Map<String, AttributeValue>> pending = new ArrayList<>();
    keys.forEach(k -> pending.add(Map.of("pk", AttributeValue.fromS(k))));
    Map<String, String> found = new HashMap<>();
    for (int round = 0; !pending.isEmpty(); round++) {
      if (round == UNPROCESSED_ROUNDS_MAX) {
        throw new IllegalStateException("BatchGetItem left keys unprocessed after " + round + " rounds");
      }
      List<Map<String, AttributeValue>> request = List.copyOf(pending);
      BatchGetItemResponse response = client.batchGetItem(r -> r.requestItems(
          Map.of(TABLE, KeysAndAttributes.builder().keys(request).consistentRead(true).build())));
      response.responses().getOrDefault(TABLE, List.of())
          .forEach(item -> found.put(item.get("pk").s(), item.get("value").s()));
      pending.clear();
      KeysAndAttributes unprocessed = response.unprocessedKeys().get(TABLE);
      if (unprocessed != null) {
        pending.addAll(unprocessed.keys());
      }
    }
    return found;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

}
