package io.cairn.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.it.support.CairnProcess;
import io.cairn.it.support.ChildProcesses;
import io.cairn.it.support.SignedJsonClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * SIGKILL Cairn during heavy writes to a table with an LSI and two GSIs (puts, updates that move
 * entries between index keys and in and out of sparse indexes, deletes), restart on the same data,
 * wait until the outboxes are drained, and compare every index item by item with the projection
 * of the base table: nothing missing, nothing extra, nothing stale. Properties: {@code
 * cairn.crash.seed}, {@code cairn.crash.indexCycles} (default 2).
 */
class IndexCrashTest {
  static final String TABLE = "indexed-crash";
  static final int KEYS = 400;
  static final int WRITERS = 6;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  @Test
  @DisabledIfSystemProperty(named = "cairn.it.crash", matches = "false")
  void everyIndexConvergesToTheTablesProjectionAfterKillMinus9() throws Exception {
    long seed = Long.getLong("cairn.crash.seed", System.nanoTime());
    int cycles = Integer.getInteger("cairn.crash.indexCycles", 2);
    Random random = new Random(seed);
    System.out.println("index-crash: seed=" + seed + " cycles=" + cycles);
    AtomicLong writes = new AtomicLong();
    for (int cycle = 0; cycle < cycles; cycle++) {
      CairnProcess server = CairnProcess.start(dataDir, ChildProcesses.freePort());
      if (cycle == 0) {
        createTable(server.endpoint());
      }
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        long writerSeed = random.nextLong();
        Thread thread = new Thread(() -> writeLoop(server.endpoint(), new Random(writerSeed), stop, writes));
        thread.start();
        writers.add(thread);
      }
      Thread.sleep(1500 + random.nextInt(2500));
      server.kill(); // mid-load: outbox records written but not yet propagated are on disk
      stop.set(true);
      for (Thread thread : writers) {
        thread.join(30_000);
      }
      System.out.printf("index-crash: cycle %d killed; %d writes acknowledged so far%n", cycle, writes.get());
    }
    CairnProcess server = CairnProcess.start(dataDir, ChildProcesses.freePort());
    try {
      awaitConvergence(server.endpoint());
      try (DynamoDbClient client = WriteLoad.client(server.endpoint())) {
        List<Map<String, AttributeValue>> base = scanAll(client, null);
        assertThat(base).as("the load wrote items").isNotEmpty();
        Map<String, List<String>> problems = new TreeMap<>();
        for (String index : List.of("byN", "byGroup", "byColor")) {
          List<String> found = compare(index, expected(index, base), scanAll(client, index));
          if (!found.isEmpty()) {
            problems.put(index, found.subList(0, Math.min(10, found.size())));
          }
        }
        System.out.printf("index-crash: %d base items, %d acknowledged writes; indexes compared item by item%n",
            base.size(), writes.get());
        assertThat(problems).as("index entries that differ from the table's projection (seed %d)", seed).isEmpty();
      }
    } finally {
      server.kill();
    }
  }

  private static void createTable(URI endpoint) {
    try (DynamoDbClient client = WriteLoad.client(endpoint)) {
      client.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(def("pk", ScalarAttributeType.S), def("sk", ScalarAttributeType.S),
              def("n", ScalarAttributeType.N), def("grp", ScalarAttributeType.S), def("color", ScalarAttributeType.S))
          .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
          .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("byN")
              .keySchema(key("pk", KeyType.HASH), key("n", KeyType.RANGE))
              .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
          .globalSecondaryIndexes(
              GlobalSecondaryIndex.builder().indexName("byGroup")
                  .keySchema(key("grp", KeyType.HASH), key("n", KeyType.RANGE))
                  .projection(Projection.builder().projectionType(ProjectionType.INCLUDE).nonKeyAttributes("v").build())
                  .build(),
              GlobalSecondaryIndex.builder().indexName("byColor")
                  .keySchema(key("color", KeyType.HASH))
                  .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build()));
      client.waiter().waitUntilTableExists(r -> r.tableName(TABLE), w -> w.waitTimeout(Duration.ofSeconds(60)));
    }
  }

  private static void writeLoop(URI endpoint, Random random, AtomicBoolean stop, AtomicLong writes) {
    try (DynamoDbClient client = WriteLoad.client(endpoint)) {
      while (!stop.get()) {
        int k = random.nextInt(KEYS);
        Map<String, AttributeValue> key = Map.of("pk", s("p" + (k % 40)), "sk", s("s" + k));
        try {
          switch (random.nextInt(4)) {
            case 0, 1 -> {
              Map<String, AttributeValue> item = new HashMap<>(key);
              item.put("v", s("v" + random.nextInt(1000)));
              item.put("other", s("o" + random.nextInt(1000)));
              if (random.nextInt(4) > 0) {
                item.put("n", AttributeValue.fromN(Integer.toString(random.nextInt(50))));
              }
              if (random.nextInt(3) > 0) {
                item.put("grp", s("g" + random.nextInt(8)));
              }
              if (random.nextBoolean()) {
                item.put("color", s(random.nextBoolean() ? "red" : "blue"));
              }
              client.putItem(r -> r.tableName(TABLE).item(item));
            }
            case 2 -> {
              boolean regroup = random.nextBoolean();
              Map<String, AttributeValue> values = regroup
                  ? Map.of(":g", s("g" + random.nextInt(8)), ":n", AttributeValue.fromN(Integer.toString(random.nextInt(50))),
                      ":v", s("u" + random.nextInt(1000)))
                  : Map.of(":c", s("green"), ":v", s("u" + random.nextInt(1000)));
              client.updateItem(r -> r.tableName(TABLE).key(key)
                  .updateExpression(regroup ? "SET grp = :g, n = :n, v = :v REMOVE color" : "SET color = :c, v = :v")
                  .expressionAttributeValues(values));
            }
            default -> client.deleteItem(r -> r.tableName(TABLE).key(key));
          }
          writes.incrementAndGet();
        } catch (RuntimeException e) {
          // The server was killed under us: keep going until told to stop.
          if (stop.get()) {
            return;
          }
        }
      }
    }
  }

  /** Waits until DescribeTable's Cairn-specific index lag is zero for the table. */
  private static void awaitConvergence(URI endpoint) throws Exception {
    SignedJsonClient client = new SignedJsonClient(endpoint);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      SignedJsonClient.Response response = client.call("DescribeTable", "{\"TableName\":\"" + TABLE + "\"}");
      if (response.status() == 200) {
        JsonNode table = JSON.readTree(response.body()).path("Table");
        long pending = 0;
        for (JsonNode index : table.path("GlobalSecondaryIndexes")) {
          pending = Math.max(pending, index.path("CairnPendingIndexChanges").asLong());
        }
        if (pending == 0) {
          System.out.println("index-crash: outboxes drained");
          return;
        }
      }
      assertThat(System.nanoTime()).as("index lag drains within 60 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static List<Map<String, AttributeValue>> scanAll(DynamoDbClient client, String index) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      var page = client.scan(r -> r.tableName(TABLE).indexName(index).consistentRead(index == null || index.equals("byN"))
          .exclusiveStartKey(from));
      items.addAll(page.items());
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return items;
  }

  /** What the index must hold: the projection of every base item that has its key attributes. */
  private static Map<String, Map<String, AttributeValue>> expected(String index, List<Map<String, AttributeValue>> base) {
    Map<String, Map<String, AttributeValue>> entries = new TreeMap<>();
    for (Map<String, AttributeValue> item : base) {
      Map<String, AttributeValue> entry = switch (index) {
        case "byN" -> item.containsKey("n") ? item : null;
        case "byGroup" -> item.containsKey("grp") && item.containsKey("n") ? pick(item, Set.of("pk", "sk", "grp", "n", "v")) : null;
        default -> item.containsKey("color") ? pick(item, Set.of("pk", "sk", "color")) : null;
      };
      if (entry != null) {
        entries.put(item.get("pk").s() + "/" + item.get("sk").s(), entry);
      }
    }
    return entries;
  }

  private static List<String> compare(
      String index, Map<String, Map<String, AttributeValue>> expected, List<Map<String, AttributeValue>> actualItems) {
    List<String> problems = new ArrayList<>();
    Map<String, Map<String, AttributeValue>> actual = new TreeMap<>();
    for (Map<String, AttributeValue> entry : actualItems) {
      String id = entry.get("pk").s() + "/" + entry.get("sk").s();
      if (actual.put(id, entry) != null) {
        problems.add(index + ": duplicate entry for " + id);
      }
    }
    for (Map.Entry<String, Map<String, AttributeValue>> want : expected.entrySet()) {
      Map<String, AttributeValue> got = actual.get(want.getKey());
      if (got == null) {
        problems.add(index + ": missing entry for " + want.getKey());
      } else if (!got.equals(want.getValue())) {
        problems.add(index + ": stale entry for " + want.getKey() + ": " + got + " instead of " + want.getValue());
      }
    }
    for (String id : actual.keySet()) {
      if (!expected.containsKey(id)) {
        problems.add(index + ": entry for " + id + " whose item is gone or no longer indexed");
      }
    }
    System.out.printf("index-crash: %s holds %d entries, expected %d, %d problems%n", index, actual.size(), expected.size(),
        problems.size());
    return problems;
  }

  private static Map<String, AttributeValue> pick(Map<String, AttributeValue> item, Set<String> names) {
    Map<String, AttributeValue> picked = new LinkedHashMap<>();
    for (String name : names) {
      if (item.containsKey(name)) {
        picked.put(name, item.get(name));
      }
    }
    return picked;
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeDefinition def(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
