package io.cairn.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.server.CairnConfig;
import io.cairn.server.CairnServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.ItemCollectionSizeLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnItemCollectionMetrics;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Local and global secondary indexes through the AWS SDK: declared at CreateTable, described as
 * DynamoDB describes them, maintained by every write path, read by Query and Scan, created and
 * deleted on a live table.
 */
class SecondaryIndexSdkTest extends SdkTestBase {

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

  /** pk/sk table; LSI byDate (INCLUDE title); GSI byOwner (KEYS_ONLY, owner+date); GSI byStatus (ALL, status). */
  private static String createIndexedTable(DynamoDbClient client) {
    String name = uniqueTableName("indexed");
    client.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(def("pk", ScalarAttributeType.S), def("sk", ScalarAttributeType.S),
            def("date", ScalarAttributeType.N), def("owner", ScalarAttributeType.S), def("status", ScalarAttributeType.S))
        .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
        .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("byDate")
            .keySchema(key("pk", KeyType.HASH), key("date", KeyType.RANGE))
            .projection(Projection.builder().projectionType(ProjectionType.INCLUDE).nonKeyAttributes("title").build())
            .build())
        .globalSecondaryIndexes(
            GlobalSecondaryIndex.builder().indexName("byOwner")
                .keySchema(key("owner", KeyType.HASH), key("date", KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build(),
            GlobalSecondaryIndex.builder().indexName("byStatus")
                .keySchema(key("status", KeyType.HASH))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()));
    return name;
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

  private static Map<String, AttributeValue> item(String pk, String sk, long date, String owner, String status, String title) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(pk));
    item.put("sk", s(sk));
    item.put("date", n(date));
    if (owner != null) {
      item.put("owner", s(owner));
    }
    if (status != null) {
      item.put("status", s(status));
    }
    item.put("title", s(title));
    item.put("body", s("body of " + sk));
    return item;
  }

  @Test
  void createTableDescribesIndexesAsDynamoDbDoes() {
    String name = createIndexedTable(dynamo);
    TableDescription table = dynamo.describeTable(b -> b.tableName(name)).table();
    assertThat(table.attributeDefinitions()).hasSize(5);
    assertThat(table.localSecondaryIndexes()).singleElement().satisfies(lsi -> {
      assertThat(lsi.indexName()).isEqualTo("byDate");
      assertThat(lsi.keySchema()).containsExactly(key("pk", KeyType.HASH), key("date", KeyType.RANGE));
      assertThat(lsi.projection().projectionType()).isEqualTo(ProjectionType.INCLUDE);
      assertThat(lsi.projection().nonKeyAttributes()).containsExactly("title");
      assertThat(lsi.indexArn()).isEqualTo(table.tableArn() + "/index/byDate");
      assertThat(lsi.itemCount()).isZero();
    });
    assertThat(table.globalSecondaryIndexes()).extracting(GlobalSecondaryIndexDescription::indexName)
        .containsExactly("byOwner", "byStatus");
    GlobalSecondaryIndexDescription byOwner = table.globalSecondaryIndexes().get(0);
    assertThat(byOwner.indexStatus()).isEqualTo(IndexStatus.ACTIVE);
    assertThat(byOwner.provisionedThroughput().readCapacityUnits()).isZero();
    assertThat(byOwner.projection().projectionType()).isEqualTo(ProjectionType.KEYS_ONLY);
    assertThat(byOwner.indexArn()).isEqualTo(table.tableArn() + "/index/byOwner");
  }

  @Test
  void everyWritePathMaintainsLocalAndGlobalIndexes() {
    String name = createIndexedTable(dynamo);
    dynamo.putItem(b -> b.tableName(name).item(item("u1", "a", 30, "ann", "open", "A")));
    dynamo.putItem(b -> b.tableName(name).item(item("u1", "b", 10, "ann", "done", "B")));
    dynamo.putItem(b -> b.tableName(name).item(item("u1", "c", 20, "bob", null, "C"))); // sparse in byStatus
    List<WriteRequest> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item("u2", "k" + i, i, "cat", "open", "T" + i)).build()).build());
    }
    dynamo.batchWriteItem(b -> b.requestItems(Map.of(name, batch)));
    // UpdateItem moves an item within the LSI and between GSI partitions.
    dynamo.updateItem(b -> b.tableName(name).key(Map.of("pk", s("u1"), "sk", s("a")))
        .updateExpression("SET #d = :d, #o = :o REMOVE #s").expressionAttributeNames(Map.of("#d", "date", "#o", "owner", "#s", "status"))
        .expressionAttributeValues(Map.of(":d", n(5), ":o", s("bob"))));
    dynamo.deleteItem(b -> b.tableName(name).key(Map.of("pk", s("u1"), "sk", s("b"))));

    // LSI: strongly consistent reads are allowed; entries follow the write at once.
    QueryResponse byDate = dynamo.query(b -> b.tableName(name).indexName("byDate").consistentRead(true)
        .keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", s("u1"))));
    assertThat(byDate.items()).extracting(i -> i.get("sk").s()).containsExactly("a", "c");
    assertThat(byDate.items().get(0)).containsOnlyKeys("pk", "sk", "date", "title");
    // An LSI fetches attributes it does not project from the table.
    QueryResponse withBody = dynamo.query(b -> b.tableName(name).indexName("byDate").select(Select.ALL_ATTRIBUTES)
        .keyConditionExpression("pk = :p AND #d > :d").expressionAttributeNames(Map.of("#d", "date"))
        .expressionAttributeValues(Map.of(":p", s("u1"), ":d", n(5))));
    assertThat(withBody.items()).singleElement().satisfies(i -> assertThat(i.get("body").s()).isEqualTo("body of c"));

    awaitIndexes(server);
    QueryResponse bob = dynamo.query(b -> b.tableName(name).indexName("byOwner")
        .keyConditionExpression("#o = :o").expressionAttributeNames(Map.of("#o", "owner"))
        .expressionAttributeValues(Map.of(":o", s("bob"))));
    assertThat(bob.items()).extracting(i -> i.get("sk").s()).containsExactly("a", "c"); // by date: 5, 20
    assertThat(bob.items().get(0)).containsOnlyKeys("pk", "sk", "owner", "date");
    QueryResponse ann = dynamo.query(b -> b.tableName(name).indexName("byOwner")
        .keyConditionExpression("#o = :o").expressionAttributeNames(Map.of("#o", "owner"))
        .expressionAttributeValues(Map.of(":o", s("ann"))));
    assertThat(ann.items()).isEmpty();
    QueryResponse open = dynamo.query(b -> b.tableName(name).indexName("byStatus")
        .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", "status"))
        .expressionAttributeValues(Map.of(":s", s("open"))));
    assertThat(open.items()).hasSize(5).allSatisfy(i -> assertThat(i).containsKey("body"));
    ScanResponse scan = dynamo.scan(b -> b.tableName(name).indexName("byStatus"));
    assertThat(scan.count()).isEqualTo(5); // u1/a lost its status, u1/b was deleted, u1/c never had one
    TableDescription table = dynamo.describeTable(b -> b.tableName(name)).table();
    assertThat(table.globalSecondaryIndexes().get(1).itemCount()).isEqualTo(5);
    assertThat(table.localSecondaryIndexes().get(0).itemCount()).isEqualTo(7);
  }

  @Test
  void indexPagesResumeWithTheTablesKeyInLastEvaluatedKey() {
    String name = createIndexedTable(dynamo);
    for (int i = 0; i < 7; i++) {
      int n = i;
      dynamo.putItem(b -> b.tableName(name).item(item("p" + n, "s", 1, "same", "open", "t")));
    }
    awaitIndexes(server);
    List<String> seen = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page = dynamo.query(b -> b.tableName(name).indexName("byOwner").limit(3)
          .keyConditionExpression("#o = :o").expressionAttributeNames(Map.of("#o", "owner"))
          .expressionAttributeValues(Map.of(":o", s("same"))).exclusiveStartKey(from));
      page.items().forEach(i -> seen.add(i.get("pk").s()));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
      if (start != null) {
        assertThat(start).containsOnlyKeys("owner", "date", "pk", "sk");
      }
    } while (start != null);
    assertThat(seen).hasSize(7).doesNotHaveDuplicates();
  }

  @Test
  void indexReadsAndWritesFailAsDynamoDbDoes() {
    String name = createIndexedTable(dynamo);
    assertThatThrownBy(() -> dynamo.query(b -> b.tableName(name).indexName("byStatus").consistentRead(true)
        .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", "status"))
        .expressionAttributeValues(Map.of(":s", s("x")))))
        .isInstanceOf(DynamoDbException.class).hasMessageContaining("Consistent reads are not supported on global secondary indexes");
    assertThatThrownBy(() -> dynamo.query(b -> b.tableName(name).indexName("byOwner").select(Select.ALL_ATTRIBUTES)
        .keyConditionExpression("#o = :o").expressionAttributeNames(Map.of("#o", "owner"))
        .expressionAttributeValues(Map.of(":o", s("x")))))
        .hasMessageContaining("Select type ALL_ATTRIBUTES is not supported for global secondary index byOwner because its projection type is not ALL");
    assertThatThrownBy(() -> dynamo.scan(b -> b.tableName(name).indexName("nope")))
        .hasMessageContaining("The table does not have the specified index: nope");
    assertThatThrownBy(() -> dynamo.query(b -> b.tableName(name).indexName("byOwner")
        .keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", s("x")))))
        .isInstanceOf(DynamoDbException.class);
    Map<String, AttributeValue> wrongType = item("u", "s", 1, null, null, "t");
    wrongType.put("owner", n(3));
    assertThatThrownBy(() -> dynamo.putItem(b -> b.tableName(name).item(wrongType)))
        .hasMessageContaining("Type mismatch for Index Key owner Expected: S Actual: N IndexName: byOwner");
    assertThat(dynamo.query(b -> b.tableName(name).indexName("byOwner").select(Select.ALL_PROJECTED_ATTRIBUTES)
        .keyConditionExpression("#o = :o").expressionAttributeNames(Map.of("#o", "owner"))
        .expressionAttributeValues(Map.of(":o", s("x")))).count()).isZero();
    assertThatThrownBy(() -> dynamo.createTable(b -> b.tableName(uniqueTableName("bad")).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(def("pk", ScalarAttributeType.S), def("x", ScalarAttributeType.S))
        .keySchema(key("pk", KeyType.HASH))
        .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("lsi")
            .keySchema(key("pk", KeyType.HASH), key("x", KeyType.RANGE))
            .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())))
        .hasMessageContaining("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
  }

  @Test
  void updateTableCreatesAGlobalIndexWithBackfillAndDeletesIt() {
    String name = createTable("live", ScalarAttributeType.S);
    for (int i = 0; i < 250; i++) {
      int n = i;
      dynamo.putItem(b -> b.tableName(name).item(Map.of("pk", s("p" + n), "sk", s("s"), "color", s(n % 2 == 0 ? "red" : "blue"))));
    }
    TableDescription updating = dynamo.updateTable(b -> b.tableName(name)
        .attributeDefinitions(def("pk", ScalarAttributeType.S), def("sk", ScalarAttributeType.S), def("color", ScalarAttributeType.S))
        .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byColor").keySchema(key("color", KeyType.HASH))
            .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())))).tableDescription();
    assertThat(updating.globalSecondaryIndexes()).singleElement()
        .satisfies(g -> assertThat(g.indexStatus()).isEqualTo(IndexStatus.CREATING));
    // Writes during the backfill are indexed too.
    dynamo.putItem(b -> b.tableName(name).item(Map.of("pk", s("late"), "sk", s("s"), "color", s("red"))));
    dynamo.deleteItem(b -> b.tableName(name).key(Map.of("pk", s("p0"), "sk", s("s"))));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (dynamo.describeTable(b -> b.tableName(name)).table().globalSecondaryIndexes().get(0).indexStatus() != IndexStatus.ACTIVE) {
      assertThat(Instant.now()).isBefore(deadline);
      sleepBriefly();
    }
    awaitIndexes(server);
    QueryResponse red = dynamo.query(b -> b.tableName(name).indexName("byColor")
        .keyConditionExpression("color = :c").expressionAttributeValues(Map.of(":c", s("red"))));
    assertThat(red.count()).isEqualTo(125); // 125 even, minus p0, plus late
    TableDescription active = dynamo.describeTable(b -> b.tableName(name)).table();
    assertThat(active.globalSecondaryIndexes().get(0).itemCount()).isEqualTo(250); // 250 - p0 + late
    assertThat(active.globalSecondaryIndexes().get(0).backfilling()).isNull();

    TableDescription deleting = dynamo.updateTable(b -> b.tableName(name)
        .globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("byColor")))).tableDescription();
    assertThat(deleting.globalSecondaryIndexes()).singleElement()
        .satisfies(g -> assertThat(g.indexStatus()).isEqualTo(IndexStatus.DELETING));
    TableDescription after = dynamo.describeTable(b -> b.tableName(name)).table();
    assertThat(after.globalSecondaryIndexes()).isEmpty();
    assertThat(after.attributeDefinitions()).hasSize(2);
    assertThatThrownBy(() -> dynamo.scan(b -> b.tableName(name).indexName("byColor")))
        .hasMessageContaining("The table does not have the specified index");
  }

  @Test
  void batchWriteItemReturnsOneMetricPerItemCollectionOfEachTableWithLocalIndexes() {
    String indexed = createIndexedTable(dynamo);
    String plain = createTable("plain", null);
    List<WriteRequest> writes = List.of(
        WriteRequest.builder().putRequest(PutRequest.builder().item(item("u1", "a", 1, "o", "s", "A")).build()).build(),
        WriteRequest.builder().putRequest(PutRequest.builder().item(item("u2", "a", 1, "o", "s", "B")).build()).build(),
        WriteRequest.builder().putRequest(PutRequest.builder().item(item("u1", "b", 2, "o", "s", "C")).build()).build(),
        WriteRequest.builder().deleteRequest(d -> d.key(Map.of("pk", s("u3"), "sk", s("x")))).build());
    var response = dynamo.batchWriteItem(b -> b.returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE)
        .requestItems(Map.of(indexed, writes,
            plain, List.of(WriteRequest.builder().putRequest(p -> p.item(Map.of("pk", s("x")))).build()))));
    // Only tables with LSIs have item collections; each collection written appears once.
    assertThat(response.itemCollectionMetrics()).containsOnlyKeys(indexed);
    assertThat(response.itemCollectionMetrics().get(indexed))
        .extracting(m -> m.itemCollectionKey().get("pk").s()).containsExactly("u1", "u2", "u3");
    assertThat(response.itemCollectionMetrics().get(indexed))
        .allSatisfy(m -> {
          assertThat(m.itemCollectionKey()).containsOnlyKeys("pk");
          assertThat(m.sizeEstimateRangeGB()).containsExactly(0.0, 1.0);
        });
    var quiet = dynamo.batchWriteItem(b -> b.requestItems(Map.of(indexed, List.of(
        WriteRequest.builder().putRequest(PutRequest.builder().item(item("u4", "a", 1, "o", "s", "D")).build()).build()))));
    assertThat(quiet.hasItemCollectionMetrics()).isFalse();
  }

  @Test
  void itemCollectionsAreMeasuredAndLimited() {
    System.setProperty(CairnServer.ITEM_COLLECTION_BYTES_MAX_PROPERTY, "6000");
    try (CairnServer small = CairnServer.start(CairnConfig.forTests());
        DynamoDbClient client = DynamoDbClient.builder().endpointOverride(small.endpoint()).region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
            .httpClient(ApacheHttpClient.builder().build()).build()) {
      System.clearProperty(CairnServer.ITEM_COLLECTION_BYTES_MAX_PROPERTY);
      String name = createIndexedTable(client);
      var response = client.putItem(b -> b.tableName(name).item(item("big", "0", 1, "o", "s", "x".repeat(1000)))
          .returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE));
      assertThat(response.itemCollectionMetrics().itemCollectionKey()).isEqualTo(Map.of("pk", s("big")));
      assertThat(response.itemCollectionMetrics().sizeEstimateRangeGB()).containsExactly(0.0, 1.0);
      client.putItem(b -> b.tableName(name).item(item("big", "1", 1, "o", "s", "x".repeat(1000))));
      assertThatThrownBy(() -> client.putItem(b -> b.tableName(name).item(item("big", "2", 1, "o", "s", "x".repeat(1000)))))
          .isInstanceOf(ItemCollectionSizeLimitExceededException.class);
      // Other collections are unaffected, and shrinking a full collection is allowed.
      client.putItem(b -> b.tableName(name).item(item("other", "2", 1, "o", "s", "x".repeat(1000))));
      client.deleteItem(b -> b.tableName(name).key(Map.of("pk", s("big"), "sk", s("1"))));
      client.putItem(b -> b.tableName(name).item(item("big", "2", 1, "o", "s", "x".repeat(1000))));
    } finally {
      System.clearProperty(CairnServer.ITEM_COLLECTION_BYTES_MAX_PROPERTY);
    }
  }
}
