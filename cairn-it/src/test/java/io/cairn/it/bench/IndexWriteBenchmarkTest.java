package io.cairn.it.bench;

import io.cairn.server.CairnConfig;
import io.cairn.server.CairnServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Write throughput and latency with 0, 1 and 2 GSIs, and the backfill rate. Not part of CI: run
 * with {@code ./mvnw -o -pl cairn-it test -Dtest=IndexWriteBenchmarkTest -Dcairn.bench.indexes=true}.
 */
@EnabledIfSystemProperty(named = "cairn.bench.indexes", matches = "true")
class IndexWriteBenchmarkTest {
  static final int THREADS = 16;
  static final Duration WARM_UP = Duration.ofSeconds(5);
  static final Duration MEASURED = Duration.ofSeconds(15);

  @TempDir Path dataDir;

  @Test
  void writesWithZeroOneAndTwoGlobalIndexesAndBackfill() throws Exception {
    System.setProperty(CairnServer.BACKFILL_ITEMS_PER_SECOND_PROPERTY, "1000000");
    try (CairnServer server = CairnServer.start(CairnConfig.forTests().withDataDir(dataDir));
        DynamoDbClient client = client(server)) {
      System.clearProperty(CairnServer.BACKFILL_ITEMS_PER_SECOND_PROPERTY);
      // One shared warm-up (JIT, RocksDB memtables) on a table with both indexes, so the first
      // measured configuration is not the cold one.
      create(client, "warm", 2);
      run(server, "warm", Duration.ofSeconds(15), false);
      while (server.pendingIndexChanges() > 0) {
        Thread.sleep(5);
      }
      for (int gsis = 0; gsis <= 2; gsis++) {
        String table = "bench" + gsis;
        create(client, table, gsis);
        run(server, table, WARM_UP, false);
        run(server, table, MEASURED, true);
        long start = System.nanoTime();
        while (server.pendingIndexChanges() > 0) {
          Thread.sleep(5);
        }
        System.out.printf("bench: %d GSIs: index lag drained %.2f s after the load stopped%n", gsis,
            (System.nanoTime() - start) / 1e9);
      }
      long items = client.describeTable(r -> r.tableName("bench0")).table().itemCount();
      long start = System.nanoTime();
      client.updateTable(r -> r.tableName("bench0")
          .attributeDefinitions(def("pk"), def("a"))
          .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("late").keySchema(key("a", KeyType.HASH))
              .projection(Projection.builder().projectionType(ProjectionType.ALL).build()))));
      while (client.describeTable(r -> r.tableName("bench0")).table().globalSecondaryIndexes().get(0).indexStatus()
          != IndexStatus.ACTIVE) {
        Thread.sleep(20);
      }
      while (server.pendingIndexChanges() > 0) {
        Thread.sleep(5);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("bench: backfill of %d items (unthrottled) in %.2f s = %.0f items/s%n", items, seconds, items / seconds);
    }
  }

  private static void run(CairnServer server, String table, Duration duration, boolean report) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    List<long[]> latencies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    int[] counts = new int[THREADS];
    for (int t = 0; t < THREADS; t++) {
      long[] samples = new long[2_000_000];
      latencies.add(samples);
      int thread = t;
      threads.add(Thread.ofPlatform().start(() -> {
        Random random = new Random(thread);
        try (DynamoDbClient client = client(server)) {
          while (!stop.get() && counts[thread] < samples.length) {
            Map<String, AttributeValue> item = Map.of(
                "pk", AttributeValue.fromS("k" + random.nextInt(200_000)),
                "a", AttributeValue.fromS("a" + random.nextInt(1000)),
                "b", AttributeValue.fromS("b" + random.nextInt(1000)),
                "payload", AttributeValue.fromS("x".repeat(200)));
            long begin = System.nanoTime();
            client.putItem(r -> r.tableName(table).item(item));
            samples[counts[thread]++] = System.nanoTime() - begin;
          }
        }
      }));
    }
    Thread.sleep(duration.toMillis());
    stop.set(true);
    for (Thread thread : threads) {
      thread.join();
    }
    if (!report) {
      return;
    }
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int t = 0; t < THREADS; t++) {
      System.arraycopy(latencies.get(t), 0, all, at, counts[t]);
      at += counts[t];
    }
    Arrays.sort(all);
    System.out.printf("bench: %s: %,.0f puts/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms (%d threads, %d s)%n", table,
        total / (double) duration.toSeconds(), all[total / 2] / 1e6, all[(int) (total * 0.99)] / 1e6,
        all[(int) (total * 0.999)] / 1e6, THREADS, duration.toSeconds());
  }

  private static void create(DynamoDbClient client, String table, int gsis) {
    client.createTable(b -> {
      b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST).keySchema(key("pk", KeyType.HASH));
      List<AttributeDefinition> definitions = new ArrayList<>(List.of(def("pk")));
      List<GlobalSecondaryIndex> indexes = new ArrayList<>();
      for (int i = 0; i < gsis; i++) {
        String attribute = i == 0 ? "a" : "b";
        definitions.add(def(attribute));
        indexes.add(GlobalSecondaryIndex.builder().indexName("by-" + attribute).keySchema(key(attribute, KeyType.HASH))
            .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build());
      }
      b.attributeDefinitions(definitions);
      if (!indexes.isEmpty()) {
        b.globalSecondaryIndexes(indexes);
      }
    });
  }

  private static DynamoDbClient client(CairnServer server) {
    return DynamoDbClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
        .httpClient(ApacheHttpClient.builder().maxConnections(THREADS * 2).build()).build();
  }

  private static AttributeDefinition def(String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
