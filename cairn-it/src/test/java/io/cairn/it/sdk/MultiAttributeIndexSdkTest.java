package io.cairn.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.server.CairnServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * DynamoDB's multi-attribute GSI keys (November 2025: up to 4 HASH and 4 RANGE attributes, each
 * an ordinary attribute of its own type) through the AWS SDK. DynamoDB Local 2.6.1 refuses such
 * key schemas ("Key Schema too big"), so this behaviour is built from AWS's documentation, not
 * compared with the oracle; see docs/indexes.md.
 */
class MultiAttributeIndexSdkTest extends SdkTestBase {

  private static AttributeDefinition def(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  private static final Projection ALL = Projection.builder().projectionType(ProjectionType.ALL).build();

  /** Table keyed by pk; GSI byMatch: HASH (tourney S, area S), RANGE (stage S, score N). */
  private static String createMatchTable() {
    String name = uniqueTableName("matches");
    dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(def("pk", ScalarAttributeType.S), def("tourney", ScalarAttributeType.S),
            def("area", ScalarAttributeType.S), def("stage", ScalarAttributeType.S), def("score", ScalarAttributeType.N))
        .keySchema(key("pk", KeyType.HASH))
        .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byMatch")
            .keySchema(key("tourney", KeyType.HASH), key("area", KeyType.HASH),
                key("stage", KeyType.RANGE), key("score", KeyType.RANGE))
            .projection(ALL).build()));
    return name;
  }

  private static Map<String, AttributeValue> match(String pk, String tourney, String area, String stage, Long score) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(pk));
    if (tourney != null) {
      item.put("tourney", s(tourney));
    }
    if (area != null) {
      item.put("area", s(area));
    }
    if (stage != null) {
      item.put("stage", s(stage));
    }
    if (score != null) {
      item.put("score", n(score));
    }
    item.put("note", s("match " + pk));
    return item;
  }

  /** Six indexed matches in W/NA and W/EU, and three that lack a key attribute (sparse). */
  private static void putMatches(String table) {
    List<Map<String, AttributeValue>> items = List.of(
        match("m1", "W", "NA", "SEMI", 10L),
        match("m2", "W", "NA", "SEMI", 30L),
        match("m3", "W", "NA", "FINAL", 50L),
        match("m4", "W", "NA", "SEMI", 20L),
        match("m5", "W", "EU", "SEMI", 15L),
        match("m6", "W", "NA", "QUARTER", 5L),
        match("m7", "W", "NA", null, 1L),
        match("m8", "W", "NA", "SEMI", null),
        match("m9", null, "NA", "SEMI", 3L));
    for (Map<String, AttributeValue> item : items) {
      dynamo.putItem(b -> b.tableName(table).item(item));
    }
    awaitIndexes(server);
  }

  private static void awaitIndexes(CairnServer target) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (target.pendingIndexChanges() > 0) {
      assertThat(Instant.now()).as("index lag drains").isBefore(deadline);
      sleepBriefly();
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static final Map<String, AttributeValue> VALUES = Map.of(
      ":t", s("W"), ":a", s("NA"), ":s", s("SEMI"), ":x", n(10), ":y", n(30), ":f", s("FINAL"), ":q", s("Q"));

  private static List<String> query(String table, String condition, boolean forward) {
    Map<String, AttributeValue> used = new HashMap<>();
    VALUES.forEach((k, v) -> {
      if (condition.contains(k)) {
        used.put(k, v);
      }
    });
    QueryResponse response = dynamo.query(b -> b.tableName(table).indexName("byMatch")
        .keyConditionExpression(condition).expressionAttributeValues(used).scanIndexForward(forward));
    return response.items().stream().map(i -> i.get("pk").s()).toList();
  }

  private static List<String> query(String table, String condition) {
    return query(table, condition, true);
  }

  @Test
  void createTableTakesUpToFourHashAndFourRangeAttributesAndDescribesThem() {
    String name = createMatchTable();
    TableDescription table = dynamo.describeTable(b -> b.tableName(name)).table();
    assertThat(table.attributeDefinitions()).hasSize(5);
    GlobalSecondaryIndexDescription index = table.globalSecondaryIndexes().get(0);
    assertThat(index.keySchema()).containsExactly(key("tourney", KeyType.HASH), key("area", KeyType.HASH),
        key("stage", KeyType.RANGE), key("score", KeyType.RANGE));
    assertThat(index.indexStatus()).isEqualTo(IndexStatus.ACTIVE);

    String widest = uniqueTableName("widest");
    List<AttributeDefinition> definitions = new ArrayList<>(List.of(def("pk", ScalarAttributeType.S)));
    List<KeySchemaElement> keys = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      definitions.add(def("k" + i, i % 2 == 0 ? ScalarAttributeType.N : ScalarAttributeType.S));
      keys.add(key("k" + i, i <= 4 ? KeyType.HASH : KeyType.RANGE));
    }
    dynamo.createTable(b -> b.tableName(widest).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(definitions).keySchema(key("pk", KeyType.HASH))
        .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("wide").keySchema(keys).projection(ALL).build()));
    assertThat(dynamo.describeTable(b -> b.tableName(widest)).table().globalSecondaryIndexes().get(0).keySchema())
        .isEqualTo(keys);
  }

  @Test
  void keySchemasOutsideTheLimitsAreRefused() {
    List<AttributeDefinition> definitions = new ArrayList<>(List.of(def("pk", ScalarAttributeType.S), def("sk", ScalarAttributeType.S)));
    for (int i = 1; i <= 5; i++) {
      definitions.add(def("k" + i, ScalarAttributeType.S));
    }
    List<KeySchemaElement> fiveHash = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      fiveHash.add(key("k" + i, KeyType.HASH));
    }
    assertThatThrownBy(() -> dynamo.createTable(b -> b.tableName(uniqueTableName("bad")).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(definitions).keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
        .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("five").keySchema(fiveHash).projection(ALL).build())))
        .isInstanceOf(DynamoDbException.class).hasMessageContaining("at most 4 HASH and 4 RANGE attributes");
    assertThatThrownBy(() -> dynamo.createTable(b -> b.tableName(uniqueTableName("bad")).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(definitions).keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
        .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("order")
            .keySchema(key("k1", KeyType.HASH), key("k2", KeyType.RANGE), key("k3", KeyType.HASH)).projection(ALL).build())))
        .hasMessageContaining("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
    // LSIs keep single-attribute keys.
    assertThatThrownBy(() -> dynamo.createTable(b -> b.tableName(uniqueTableName("bad")).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(definitions).keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
        .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("lsi")
            .keySchema(key("pk", KeyType.HASH), key("k1", KeyType.RANGE), key("k2", KeyType.RANGE)).projection(ALL).build())))
        .hasMessageContaining("Member must have length less than or equal to 2");
    // Every key attribute must be declared.
    assertThatThrownBy(() -> dynamo.createTable(b -> b.tableName(uniqueTableName("bad")).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(def("pk", ScalarAttributeType.S), def("k1", ScalarAttributeType.S))
        .keySchema(key("pk", KeyType.HASH))
        .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("undeclared")
            .keySchema(key("k1", KeyType.HASH), key("k2", KeyType.HASH)).projection(ALL).build())))
        .isInstanceOf(DynamoDbException.class);
  }

  @Test
  void onlyItemsWithEveryKeyAttributeAreIndexedInTupleOrder() {
    String name = createMatchTable();
    putMatches(name);
    // (stage, score) order within the partition (W, NA); m7, m8 and m9 lack a key attribute.
    assertThat(query(name, "tourney = :t AND area = :a")).containsExactly("m3", "m6", "m1", "m4", "m2");
    assertThat(query(name, "area = :a AND tourney = :t", false)).containsExactly("m2", "m4", "m1", "m6", "m3");
    assertThat(dynamo.scan(b -> b.tableName(name).indexName("byMatch")).count()).isEqualTo(6);
    assertThat(dynamo.describeTable(b -> b.tableName(name)).table().globalSecondaryIndexes().get(0).itemCount()).isEqualTo(6);
    // Removing one key attribute drops the entry; adding it back restores it.
    dynamo.updateItem(b -> b.tableName(name).key(Map.of("pk", s("m6"))).updateExpression("REMOVE stage"));
    dynamo.updateItem(b -> b.tableName(name).key(Map.of("pk", s("m8"))).updateExpression("SET score = :v")
        .expressionAttributeValues(Map.of(":v", n(25))));
    awaitIndexes(server);
    assertThat(query(name, "tourney = :t AND area = :a")).containsExactly("m3", "m1", "m4", "m8", "m2");
  }

  @Test
  void queriesTakeASortKeyPrefixAndOneConditionOnTheLastAttribute() {
    String name = createMatchTable();
    putMatches(name);
    assertThat(query(name, "tourney = :t AND area = :a AND stage = :s")).containsExactly("m1", "m4", "m2");
    assertThat(query(name, "tourney = :t AND area = :a AND stage > :f")).containsExactly("m6", "m1", "m4", "m2");
    assertThat(query(name, "tourney = :t AND area = :a AND begins_with(stage, :q)")).containsExactly("m6");
    assertThat(query(name, "tourney = :t AND area = :a AND stage = :s AND score = :x")).containsExactly("m1");
    assertThat(query(name, "tourney = :t AND area = :a AND stage = :s AND score > :x")).containsExactly("m4", "m2");
    assertThat(query(name, "tourney = :t AND area = :a AND stage = :s AND score BETWEEN :x AND :y", false))
        .containsExactly("m2", "m4", "m1");
    assertThat(query(name, "tourney = :t AND area = :a AND stage = :s AND score < :y")).containsExactly("m1", "m4");

    // Legacy KeyConditions: one condition per key attribute.
    QueryResponse legacy = dynamo.query(QueryRequest.builder().tableName(name).indexName("byMatch").keyConditions(Map.of(
        "tourney", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("W")).build(),
        "area", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("NA")).build(),
        "stage", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("SEMI")).build(),
        "score", Condition.builder().comparisonOperator(ComparisonOperator.GE).attributeValueList(n(20)).build()))
        .build());
    assertThat(legacy.items()).extracting(i -> i.get("pk").s()).containsExactly("m4", "m2");
  }

  @Test
  void pagesResumeWithEveryKeyAttributeInLastEvaluatedKey() {
    String name = createMatchTable();
    putMatches(name);
    List<String> seen = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page = dynamo.query(b -> b.tableName(name).indexName("byMatch").limit(2)
          .keyConditionExpression("tourney = :t AND area = :a")
          .expressionAttributeValues(Map.of(":t", s("W"), ":a", s("NA"))).exclusiveStartKey(from));
      page.items().forEach(i -> seen.add(i.get("pk").s()));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
      if (start != null) {
        assertThat(start).containsOnlyKeys("tourney", "area", "stage", "score", "pk");
      }
    } while (start != null);
    assertThat(seen).containsExactly("m3", "m6", "m1", "m4", "m2");

    Map<String, AttributeValue> otherArea = Map.of(
        "tourney", s("W"), "area", s("EU"), "stage", s("SEMI"), "score", n(15), "pk", s("m5"));
    assertThatThrownBy(() -> dynamo.query(b -> b.tableName(name).indexName("byMatch")
        .keyConditionExpression("tourney = :t AND area = :a")
        .expressionAttributeValues(Map.of(":t", s("W"), ":a", s("NA"))).exclusiveStartKey(otherArea)))
        .hasMessageContaining("The provided starting key is outside query boundaries based on provided conditions");
  }

  @Test
  void keyConditionsThatDoNotFitTheKeyAreRefused() {
    String name = createMatchTable();
    assertThatThrownBy(() -> query(name, "tourney = :t"))
        .isInstanceOf(DynamoDbException.class).hasMessageContaining("Query condition missed key schema element: area");
    assertThatThrownBy(() -> query(name, "tourney = :t AND area = :a AND score > :x"))
        .hasMessageContaining("Query condition missed key schema element: stage");
    assertThatThrownBy(() -> query(name, "tourney = :t AND area = :a AND stage > :f AND score = :x"))
        .hasMessageContaining("Query key condition not supported");
    assertThatThrownBy(() -> query(name, "tourney = :t AND area > :a"))
        .hasMessageContaining("Query key condition not supported");
    assertThatThrownBy(() -> dynamo.query(b -> b.tableName(name).indexName("byMatch")
        .keyConditionExpression("tourney = :t AND area = :a").filterExpression("score > :x")
        .expressionAttributeValues(Map.of(":t", s("W"), ":a", s("NA"), ":x", n(1)))))
        .hasMessageContaining("Filter Expression can only contain non-primary key attributes: Primary key attribute: score");
    Map<String, AttributeValue> mistyped = match("bad", "W", "NA", "SEMI", null);
    mistyped.put("score", s("ten"));
    assertThatThrownBy(() -> dynamo.putItem(b -> b.tableName(name).item(mistyped)))
        .hasMessageContaining("Type mismatch for Index Key score Expected: N Actual: S IndexName: byMatch");
  }

  @Test
  void updateTableCreatesAMultiAttributeIndexWithBackfill() {
    String name = uniqueTableName("backfill");
    dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(def("pk", ScalarAttributeType.S)).keySchema(key("pk", KeyType.HASH)));
    for (int i = 0; i < 120; i++) {
      int n = i;
      Map<String, AttributeValue> item = match("p" + n, "W", n % 3 == 0 ? "EU" : "NA", n % 2 == 0 ? "SEMI" : "FINAL", (long) n);
      if (n % 10 == 9) {
        item.remove("area"); // sparse
      }
      dynamo.putItem(b -> b.tableName(name).item(item));
    }
    TableDescription updating = dynamo.updateTable(b -> b.tableName(name)
        .attributeDefinitions(def("pk", ScalarAttributeType.S), def("tourney", ScalarAttributeType.S),
            def("area", ScalarAttributeType.S), def("stage", ScalarAttributeType.S), def("score", ScalarAttributeType.N))
        .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byMatch")
            .keySchema(key("tourney", KeyType.HASH), key("area", KeyType.HASH),
                key("stage", KeyType.RANGE), key("score", KeyType.RANGE))
            .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())))).tableDescription();
    assertThat(updating.globalSecondaryIndexes()).singleElement()
        .satisfies(g -> assertThat(g.indexStatus()).isEqualTo(IndexStatus.CREATING));
    dynamo.putItem(b -> b.tableName(name).item(match("late", "W", "NA", "SEMI", 1000L)));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (dynamo.describeTable(b -> b.tableName(name)).table().globalSecondaryIndexes().get(0).indexStatus() != IndexStatus.ACTIVE) {
      assertThat(Instant.now()).isBefore(deadline);
      sleepBriefly();
    }
    awaitIndexes(server);
    // NA (n % 3 != 0), SEMI (even), with an area (n % 10 != 9): by score ascending, then "late".
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      if (i % 3 != 0 && i % 2 == 0 && i % 10 != 9) {
        expected.add("p" + i);
      }
    }
    expected.add("late");
    QueryResponse semi = dynamo.query(b -> b.tableName(name).indexName("byMatch")
        .keyConditionExpression("tourney = :t AND area = :a AND stage = :s")
        .expressionAttributeValues(Map.of(":t", s("W"), ":a", s("NA"), ":s", s("SEMI"))));
    assertThat(semi.items()).extracting(i -> i.get("pk").s()).containsExactlyElementsOf(expected);
    assertThat(semi.items().get(0)).containsOnlyKeys("pk", "tourney", "area", "stage", "score");
    assertThat(dynamo.describeTable(b -> b.tableName(name)).table().globalSecondaryIndexes().get(0).itemCount())
        .isEqualTo(120 - 12 + 1);
  }
}
