package io.cairn.it.clustered;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.it.support.ClusterLogsOnFailure;
import io.cairn.it.support.ClusterTarget;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Routers keep no state of their own: what one router did is what the other serves, at once. A
 * table created through router-1 is usable through router-2 without waiting; a strongly consistent
 * read through one router sees every write acknowledged through the other; a table deleted through
 * one is gone through the other.
 */
@ExtendWith(ClusterLogsOnFailure.class)
class CrossRouterConsistencyTest {
  static final int ROUNDS = 50;

  static DynamoDbClient router1;
  static DynamoDbClient router2;
  final java.util.List<String> created = new java.util.ArrayList<>();

  @BeforeAll
  static void clients() {
    ClusterTarget cluster = ClusterTarget.shared();
    router1 = cluster.client(1);
    router2 = cluster.client(2);
  }

  /** The shared cluster outlives this class: leave no table (each replica costs a node memory). */
  @AfterEach
  void deleteTables() {
    for (String table : created) {
      try {
        router1.deleteTable(b -> b.tableName(table));
      } catch (ResourceNotFoundException e) {
        // The test deleted it.
      }
    }
    created.clear();
  }

  @AfterAll
  static void close() {
    router1.close();
    router2.close();
  }

  @Test
  void aTableCreatedThroughOneRouterIsUsableAtOnceThroughTheOther() {
    String table = "cross-create-" + System.nanoTime();
    createTable(router1, table);
    // No waiter: DynamoDB answers CreateTable with CREATING; Cairn's table is ACTIVE when the call
    // returns, and the other router must already know it.
    assertThat(router2.describeTable(b -> b.tableName(table)).table().tableStatus()).isEqualTo(TableStatus.ACTIVE);
    router2.putItem(b -> b.tableName(table).item(Map.of("pk", s("k"), "v", s("through router-2"))));
    assertThat(router1.getItem(b -> b.tableName(table).key(Map.of("pk", s("k"))).consistentRead(true)).item())
        .containsEntry("v", s("through router-2"));
    assertThat(router1.listTables().tableNames()).contains(table);
    assertThat(router2.listTables().tableNames()).contains(table);
  }

  @Test
  void aStronglyConsistentReadThroughOneRouterSeesEveryWriteAcknowledgedThroughTheOther() {
    String table = "cross-read-" + System.nanoTime();
    createTable(router1, table);
    for (int i = 0; i < ROUNDS; i++) {
      DynamoDbClient writer = i % 2 == 0 ? router1 : router2;
      DynamoDbClient reader = i % 2 == 0 ? router2 : router1;
      String value = "v" + i;
      String key = "k" + (i % 5);
      writer.putItem(b -> b.tableName(table).item(Map.of("pk", s(key), "v", s(value))));
      assertThat(reader.getItem(b -> b.tableName(table).key(Map.of("pk", s(key))).consistentRead(true)).item())
          .as("round %d: %s written through one router, read through the other", i, key)
          .containsEntry("v", s(value));
    }
    // Conditional writes and updates decided on one router's request are seen by the other's.
    router1.updateItem(b -> b.tableName(table).key(Map.of("pk", s("counter")))
        .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
    router2.updateItem(b -> b.tableName(table).key(Map.of("pk", s("counter")))
        .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
    assertThat(router1.getItem(b -> b.tableName(table).key(Map.of("pk", s("counter"))).consistentRead(true)).item())
        .containsEntry("n", AttributeValue.fromN("2"));
  }

  @Test
  void aTableDeletedThroughOneRouterIsGoneThroughTheOther() {
    String table = "cross-delete-" + System.nanoTime();
    createTable(router2, table);
    router1.putItem(b -> b.tableName(table).item(Map.of("pk", s("k"))));
    router2.deleteTable(b -> b.tableName(table));
    router1.waiter().waitUntilTableNotExists(b -> b.tableName(table));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> router1.getItem(b -> b.tableName(table).key(Map.of("pk", s("k")))))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  private void createTable(DynamoDbClient client, String name) {
    created.add(name);
    client.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
