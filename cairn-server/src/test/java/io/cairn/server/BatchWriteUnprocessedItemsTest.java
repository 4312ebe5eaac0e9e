package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.cairn.core.id.PartitionId;
import io.cairn.core.value.AttributeValue;
import io.cairn.partition.IndexPropagator;
import io.cairn.partition.ItemCursor;
import io.cairn.partition.PartitionAccess;
import io.cairn.partition.PartitionHost;
import io.cairn.partition.PartitionHostOptions;
import io.cairn.partition.RangeSlice;
import io.cairn.partition.WriteCommand;
import io.cairn.partition.WriteOutcome;
import io.cairn.protocol.RequestContext;
import io.cairn.protocol.ServiceResponse;
import io.cairn.router.item.BatchOperations;
import io.cairn.router.item.ItemKeys;
import io.cairn.router.table.TableCatalog;
import io.cairn.router.table.TableDefinition;
import io.cairn.router.table.TableOperations;
import io.cairn.storage.Direction;
import io.cairn.storage.Durability;
import io.cairn.storage.KeyspaceId;
import io.cairn.storage.StorageEngine;
import io.cairn.storage.StorageOptions;
import java.io.StringWriter;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BatchWriteItem when one partition cannot take writes (in a cluster: no leader, a timeout;
 * anywhere: throttling): its items come back in UnprocessedItems, as DynamoDB returns them, and
 * the other partitions' items are written. The single-process stack, with a partition access that
 * fails the writes of the partitions the test names (fault injection).
 */
class BatchWriteUnprocessedItemsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RequestContext CONTEXT = new RequestContext("test", "key", "us-east-1", 0);

  private StorageEngine engine;
  private IndexPropagator propagator;
  private PartitionHost host;
  private TableCatalog catalog;
  private FailingPartitions failing;
  private BatchOperations batch;
  private TableDefinition table;

  @BeforeEach
  void start() throws Exception {
    engine = StorageEngine.openInMemory(StorageOptions.defaults());
    catalog = new TableCatalog(new EngineCatalogStore(engine));
    propagator = new IndexPropagator(engine, catalog, Durability.PROCESS_CRASH_SAFE, 100);
    host = new PartitionHost(engine, PartitionHostOptions.defaults(Durability.PROCESS_CRASH_SAFE), catalog, propagator);
    TableOperations tables = new TableOperations(catalog, new PartitionTableData(host, propagator, () -> null),
        InstantSource.system(), "localhost:8000");
    // 3,000 WCU provisioned (and a little read capacity): four partitions.
    tables.createTable((ObjectNode) JSON.readTree("""
        {"TableName": "batch", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
         "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
         "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 3000}}"""), CONTEXT);
    table = catalog.require("batch");
    assertThat(table.partitions()).hasSize(4);
    failing = new FailingPartitions(host);
    batch = new BatchOperations(catalog, failing);
  }

  @AfterEach
  void stop() {
    host.close();
    propagator.close();
    engine.close();
  }

  @Test
  void writesToAPartitionThatCannotTakeThemComeBackUnprocessed() throws Exception {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      keys.add("k" + i);
    }
    PartitionId down = partitionOf(keys.get(0));
    failing.failWith(down, new DynamoDbException(ErrorType.SERVICE_UNAVAILABLE, "partition unavailable"));
    Set<String> expectedUnprocessed = new HashSet<>();
    for (String key : keys) {
      if (partitionOf(key).equals(down)) {
        expectedUnprocessed.add(key);
      }
    }
    assertThat(expectedUnprocessed).isNotEmpty().hasSizeLessThan(keys.size());

    // Puts for every key but the last, a delete for the last one.
    String deleted = keys.get(keys.size() - 1);
    StringBuilder requests = new StringBuilder();
    for (String key : keys) {
      requests.append(requests.isEmpty() ? "" : ",").append(key.equals(deleted)
          ? "{\"DeleteRequest\": {\"Key\": {\"pk\": {\"S\": \"" + key + "\"}}}}"
          : "{\"PutRequest\": {\"Item\": {\"pk\": {\"S\": \"" + key + "\"}, \"v\": {\"N\": \"1\"}}}}");
    }
    JsonNode reply = run("{\"RequestItems\": {\"batch\": [" + requests + "]}, \"ReturnConsumedCapacity\": \"TOTAL\"}");

    Set<String> unprocessed = new HashSet<>();
    for (JsonNode request : reply.path("UnprocessedItems").path("batch")) {
      JsonNode put = request.path("PutRequest").path("Item");
      JsonNode delete = request.path("DeleteRequest").path("Key");
      String key = (put.isMissingNode() ? delete : put).path("pk").path("S").asText();
      if (key.equals(deleted)) {
        assertThat(request.has("DeleteRequest")).as("the delete comes back as a DeleteRequest").isTrue();
      } else {
        assertThat(put.path("v").path("N").asText()).as("the whole item comes back").isEqualTo("1");
      }
      unprocessed.add(key);
    }
    assertThat(unprocessed).isEqualTo(expectedUnprocessed);
    for (String key : keys) {
      boolean stored = host.read(partitionOf(key), ItemKeys.storageKey(table, key(key)),
          PartitionAccess.Consistency.STRONG) != null;
      assertThat(stored).as("%s stored", key).isEqualTo(!expectedUnprocessed.contains(key) && !key.equals(deleted));
    }
    // Capacity only for what was written: one unit per item under 1 KB.
    int writtenCount = keys.size() - expectedUnprocessed.size();
    assertThat(reply.path("ConsumedCapacity").get(0).path("CapacityUnits").asDouble()).isEqualTo(writtenCount);

    // Sent again once the partition is back, the unprocessed items are written.
    failing.heal();
    JsonNode again = run("{\"RequestItems\": " + JSON.writeValueAsString(reply.path("UnprocessedItems")) + "}");
    assertThat(again.path("UnprocessedItems").isEmpty()).isTrue();
    for (String key : expectedUnprocessed) {
      boolean stored = host.read(down, ItemKeys.storageKey(table, key(key)), PartitionAccess.Consistency.STRONG) != null;
      assertThat(stored).as("%s stored on the retry", key).isEqualTo(!key.equals(deleted));
    }
  }

  @Test
  void aBatchNothingOfWhichCanBeWrittenFailsWithTheError() throws Exception {
    for (var range : table.partitions()) {
      failing.failWith(range.partitionId(), new DynamoDbException(ErrorType.PROVISIONED_THROUGHPUT_EXCEEDED, "throttled"));
    }
    assertThatThrownBy(() -> run("{\"RequestItems\": {\"batch\": [{\"PutRequest\": {\"Item\": {\"pk\": {\"S\": \"a\"}}}}]}}"))
        .isInstanceOfSatisfying(DynamoDbException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.PROVISIONED_THROUGHPUT_EXCEEDED));
  }

  @Test
  void anErrorThatIsNotTransientFailsTheBatch() throws Exception {
    failing.failWith(partitionOf("a"), DynamoDbException.validation("bad"));
    assertThatThrownBy(() -> run("{\"RequestItems\": {\"batch\": [{\"PutRequest\": {\"Item\": {\"pk\": {\"S\": \"a\"}}}}]}}"))
        .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.VALIDATION));
  }

  private JsonNode run(String request) throws Exception {
    ServiceResponse response;
    try {
      response = batch.batchWriteItem((ObjectNode) JSON.readTree(request)).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
      response.writeBody(json);
    }
    return JSON.readTree(out.toString());
  }

  private static Map<String, AttributeValue> key(String pk) {
    return Map.of("pk", AttributeValue.s(pk));
  }

  private PartitionId partitionOf(String pk) {
    return table.partitionFor(ItemKeys.hash(table, key(pk))).partitionId();
  }

  /** Delegates to the host, except that writes to the partitions named fail with the error given. */
  private static final class FailingPartitions implements PartitionAccess {
    private final PartitionAccess delegate;
    private final Map<PartitionId, DynamoDbException> failures = new java.util.concurrent.ConcurrentHashMap<>();

    FailingPartitions(PartitionAccess delegate) {
      this.delegate = delegate;
    }

    void failWith(PartitionId partition, DynamoDbException error) {
      failures.put(partition, error);
    }

    void heal() {
      failures.clear();
    }

    @Override
    public CompletableFuture<WriteOutcome> write(PartitionId partition, WriteCommand command) {
      DynamoDbException error = failures.get(partition);
      return error != null ? CompletableFuture.failedFuture(error) : delegate.write(partition, command);
    }

    @Override
    public Map<String, AttributeValue> read(PartitionId partition, byte[] storageKey, Consistency consistency) {
      return delegate.read(partition, storageKey, consistency);
    }

    @Override
    public ItemCursor cursor(List<RangeSlice> slices, Direction direction, Consistency consistency) {
      return delegate.cursor(slices, direction, consistency);
    }

    @Override
    public long itemCollectionBytes(PartitionId partition, KeyspaceId base, AttributeValue partitionKey) {
      return delegate.itemCollectionBytes(partition, base, partitionKey);
    }
  }
}
