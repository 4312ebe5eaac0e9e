package io.cairn.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

class QueryScanBatchSdkTest extends SdkTestBase {
  static String table;
  static final int SORT_KEYS = 60;

  /** Per deployment: a @BeforeAll method would run once, before the first deployment's server starts. */
  @BeforeParameterizedClassInvocation(injectArguments = false)
  static void fill() {
    table = createTable("query", ScalarAttributeType.N);
    // Three partition keys; sort keys -30..29 so negative numbers must sort before positive ones.
    List<WriteRequest> writes = new ArrayList<>();
    for (String pk : List.of("a", "b", "c")) {
      for (int i = 0; i < SORT_KEYS; i++) {
        int sortKey = i - SORT_KEYS / 2;
        writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
            "pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(Integer.toString(sortKey)),
            "even", AttributeValue.fromBool(sortKey % 2 == 0), "pad", AttributeValue.fromS("x".repeat(100)))).build()).build());
        if (writes.size() == 25) {
          List<WriteRequest> batch = List.copyOf(writes);
          assertThat(dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, batch))).unprocessedItems()).isEmpty();
          writes.clear();
        }
      }
    }
    List<WriteRequest> rest = List.copyOf(writes);
    if (!rest.isEmpty()) {
      dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, rest)));
    }
  }

  @Test
  void queryReturnsOnePartitionKeyInSortKeyOrderBothWays() {
    QueryResponse forward = dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :a")
        .expressionAttributeValues(Map.of(":a", AttributeValue.fromS("a"))));
    assertThat(forward.count()).isEqualTo(SORT_KEYS);
    assertThat(forward.items()).extracting(item -> Integer.parseInt(item.get("sk").n())).isSorted();
    assertThat(forward.items().get(0).get("sk").n()).isEqualTo("-30");

    QueryResponse backward = dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :a")
        .expressionAttributeValues(Map.of(":a", AttributeValue.fromS("a"))).scanIndexForward(false));
    assertThat(backward.items().get(0).get("sk").n()).isEqualTo("29");
  }

  @Test
  void sortKeyConditionsFiltersProjectionsAndCount() {
    QueryResponse between = dynamo.query(b -> b.tableName(table)
        .keyConditionExpression("pk = :a AND sk BETWEEN :lo AND :hi")
        .filterExpression("even = :t").projectionExpression("sk")
        .expressionAttributeValues(Map.of(":a", AttributeValue.fromS("b"), ":lo", AttributeValue.fromN("-3"),
            ":hi", AttributeValue.fromN("3"), ":t", AttributeValue.fromBool(true))));
    assertThat(between.scannedCount()).isEqualTo(7);
    assertThat(between.items()).extracting(item -> item.get("sk").n()).containsExactly("-2", "0", "2");
    assertThat(between.items()).allSatisfy(item -> assertThat(item).containsOnlyKeys("sk"));

    QueryResponse count = dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :a AND sk >= :z")
        .select(Select.COUNT).expressionAttributeValues(Map.of(":a", AttributeValue.fromS("c"), ":z", AttributeValue.fromN("0"))));
    assertThat(count.count()).isEqualTo(30);
    assertThat(count.hasItems()).isFalse();
  }

  @Test
  void paginatorsResumeFromLastEvaluatedKey() {
    List<String> sortKeys = new ArrayList<>();
    int pages = 0;
    for (QueryResponse page : dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression("pk = :a")
        .expressionAttributeValues(Map.of(":a", AttributeValue.fromS("a"))).limit(7))) {
      pages++;
      page.items().forEach(item -> sortKeys.add(item.get("sk").n()));
    }
    assertThat(sortKeys).hasSize(SORT_KEYS).doesNotHaveDuplicates();
    assertThat(pages).isEqualTo(SORT_KEYS / 7 + 1);

    Set<String> scanned = new HashSet<>();
    for (ScanResponse page : dynamo.scanPaginator(b -> b.tableName(table).limit(13))) {
      page.items().forEach(item -> scanned.add(item.get("pk").s() + item.get("sk").n()));
    }
    assertThat(scanned).hasSize(3 * SORT_KEYS);
  }

  @Test
  void parallelScanSegmentsPartitionTheTable() {
    Set<String> seen = new HashSet<>();
    int total = 0;
    for (int segment = 0; segment < 4; segment++) {
      int s = segment;
      for (ScanResponse page : dynamo.scanPaginator(b -> b.tableName(table).segment(s).totalSegments(4))) {
        for (Map<String, AttributeValue> item : page.items()) {
          seen.add(item.get("pk").s() + item.get("sk").n());
          total++;
        }
      }
    }
    assertThat(total).isEqualTo(3 * SORT_KEYS);
    assertThat(seen).hasSize(3 * SORT_KEYS);
    assertThatThrownBy(() -> dynamo.scan(b -> b.tableName(table).segment(4).totalSegments(4)))
        .hasMessageContaining("The Segment parameter is zero-based and must be less than parameter TotalSegments");
  }

  @Test
  void batchGetReadsManyKeysAndEnforcesItsLimits() {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      keys.add(Map.of("pk", AttributeValue.fromS(i % 2 == 0 ? "a" : "zz"), "sk", AttributeValue.fromN(Integer.toString(i - 30))));
    }
    BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(
        Map.of(table, KeysAndAttributes.builder().keys(keys).projectionExpression("pk, sk").build())));
    // Even i with sk = i - 30 < 30 exist under "a": i in 0..58 step 2 → 30 items; "zz" has none.
    assertThat(response.responses().get(table)).hasSize(30);
    assertThat(response.unprocessedKeys()).isEmpty();

    List<Map<String, AttributeValue>> tooMany = new ArrayList<>(keys);
    tooMany.add(Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromN("1000")));
    assertThatThrownBy(() -> dynamo.batchGetItem(b -> b.requestItems(
            Map.of(table, KeysAndAttributes.builder().keys(tooMany).build()))))
        .hasMessageContaining("Too many items requested for the BatchGetItem call");
    List<Map<String, AttributeValue>> duplicates = List.of(keys.get(0), keys.get(0));
    assertThatThrownBy(() -> dynamo.batchGetItem(b -> b.requestItems(
            Map.of(table, KeysAndAttributes.builder().keys(duplicates).build()))))
        .hasMessageContaining("Provided list of item keys contains duplicates");
  }

  @Test
  void batchWriteRefusesTwentySixRequests() {
    List<WriteRequest> writes = new ArrayList<>();
    for (int i = 0; i < 26; i++) {
      Map<String, AttributeValue> item = new HashMap<>();
      item.put("pk", AttributeValue.fromS("w"));
      item.put("sk", AttributeValue.fromN(Integer.toString(i)));
      writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
    }
    assertThatThrownBy(() -> dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, writes))))
        .hasMessageContaining("Too many items requested for the BatchWriteItem call");
  }
}
