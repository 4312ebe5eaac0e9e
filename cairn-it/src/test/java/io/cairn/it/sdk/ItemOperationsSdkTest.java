package io.cairn.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

class ItemOperationsSdkTest extends SdkTestBase {

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(String value) {
    return AttributeValue.fromN(value);
  }

  @Test
  void everyTypeRoundTripsExactly() {
    String table = createTable("types", null);
    Map<String, AttributeValue> item = Map.ofEntries(
        Map.entry("pk", s("all-types")),
        Map.entry("s", s("héllo 𝄞")),
        Map.entry("n", n("-12345678901234567890.123456789012345678")),
        Map.entry("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 255}))),
        Map.entry("bool", AttributeValue.fromBool(true)),
        Map.entry("null", AttributeValue.fromNul(true)),
        Map.entry("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromL(List.of(s("x"), n("1")))))),
        Map.entry("l", AttributeValue.fromL(List.of(AttributeValue.fromBool(false), AttributeValue.fromM(Map.of())))),
        Map.entry("ss", AttributeValue.fromSs(List.of("a", "b"))),
        Map.entry("ns", AttributeValue.fromNs(List.of("1", "2.5"))),
        Map.entry("bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("x"), SdkBytes.fromUtf8String("y")))),
        Map.entry("empty", s("")));
    dynamo.putItem(b -> b.tableName(table).item(item));
    GetItemResponse got = dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", s("all-types"))).consistentRead(true));
    assertThat(got.item()).isEqualTo(item);
  }

  @Test
  void numbersComeBackCanonical() {
    String table = createTable("numbers", null);
    dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("n"), "a", n("1.50"), "b", n("1E+2"), "c", n("-0"))));
    Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", s("n")))).item();
    assertThat(item.get("a").n()).isEqualTo("1.5");
    assertThat(item.get("b").n()).isEqualTo("100");
    assertThat(item.get("c").n()).isEqualTo("0");
  }

  @Test
  void conditionalPutFailsWithTheCurrentItemWhenAskedFor() {
    String table = createTable("conditions", null);
    Map<String, AttributeValue> first = Map.of("pk", s("k"), "v", n("1"));
    dynamo.putItem(b -> b.tableName(table).item(first).conditionExpression("attribute_not_exists(pk)"));
    assertThatThrownBy(() -> dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("k"), "v", n("2")))
            .conditionExpression("attribute_not_exists(pk)")
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
        .isInstanceOfSatisfying(ConditionalCheckFailedException.class, e -> {
          assertThat(e.getMessage()).contains("The conditional request failed");
          assertThat(e.item()).isEqualTo(first);
        });
    assertThat(dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", s("k")))).item()).isEqualTo(first);
  }

  @Test
  void putAndDeleteReturnTheOldItem() {
    String table = createTable("returns", null);
    Map<String, AttributeValue> first = Map.of("pk", s("k"), "v", n("1"));
    assertThat(dynamo.putItem(b -> b.tableName(table).item(first).returnValues(ReturnValue.ALL_OLD)).attributes()).isEmpty();
    assertThat(dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("k"), "v", n("2")))
        .returnValues(ReturnValue.ALL_OLD)).attributes()).isEqualTo(first);
    assertThat(dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", s("k"))).returnValues(ReturnValue.ALL_OLD))
        .attributes()).containsEntry("v", n("2"));
    assertThat(dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", s("k")))).hasItem()).isFalse();
    assertThatThrownBy(() -> dynamo.putItem(b -> b.tableName(table).item(first).returnValues(ReturnValue.ALL_NEW)))
        .hasMessageContaining("ReturnValues can only be ALL_OLD or NONE");
  }

  @Test
  void updateExpressionsWithEveryClauseAndReturnValues() {
    String table = createTable("updates", null);
    Map<String, AttributeValue> key = Map.of("pk", s("u"));
    UpdateItemResponse created = dynamo.updateItem(b -> b.tableName(table).key(key)
        .updateExpression("SET #c = if_not_exists(#c, :zero) + :one, tags = :tags, #l = list_append(if_not_exists(#l, :empty), :l)")
        .expressionAttributeNames(Map.of("#c", "count", "#l", "log"))
        .expressionAttributeValues(Map.of(":zero", n("0"), ":one", n("1"), ":tags", AttributeValue.fromSs(List.of("a", "b")),
            ":empty", AttributeValue.fromL(List.of()), ":l", AttributeValue.fromL(List.of(s("created")))))
        .returnValues(ReturnValue.ALL_NEW));
    assertThat(created.attributes()).containsEntry("count", n("1")).containsEntry("pk", s("u"));

    UpdateItemResponse updated = dynamo.updateItem(b -> b.tableName(table).key(key)
        .updateExpression("ADD #c :five, tags :c REMOVE #l[0]")
        .expressionAttributeNames(Map.of("#c", "count", "#l", "log"))
        .expressionAttributeValues(Map.of(":five", n("5"), ":c", AttributeValue.fromSs(List.of("c"))))
        .returnValues(ReturnValue.UPDATED_NEW));
    // The same path in two clauses overlaps, as DynamoDB says; DELETE goes in its own update.
    assertThatThrownBy(() -> dynamo.updateItem(b -> b.tableName(table).key(key)
            .updateExpression("ADD tags :c DELETE tags :c")
            .expressionAttributeValues(Map.of(":c", AttributeValue.fromSs(List.of("c"))))))
        .hasMessageContaining("Two document paths overlap with each other");
    dynamo.updateItem(b -> b.tableName(table).key(key).updateExpression("DELETE tags :a")
        .expressionAttributeValues(Map.of(":a", AttributeValue.fromSs(List.of("a")))));
    // UPDATED_NEW returns each touched top-level attribute whole: "log" after REMOVE log[0] is [].
    assertThat(updated.attributes()).containsOnlyKeys("count", "tags", "log");
    assertThat(updated.attributes().get("log").l()).isEmpty();
    assertThat(updated.attributes().get("count")).isEqualTo(n("6"));
    assertThat(updated.attributes().get("tags").ss()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(dynamo.getItem(b -> b.tableName(table).key(key)).item().get("tags").ss()).containsExactlyInAnyOrder("b", "c");

    UpdateItemResponse old = dynamo.updateItem(b -> b.tableName(table).key(key)
        .updateExpression("SET #c = #c - :one").expressionAttributeNames(Map.of("#c", "count"))
        .expressionAttributeValues(Map.of(":one", n("1"))).returnValues(ReturnValue.UPDATED_OLD));
    assertThat(old.attributes()).isEqualTo(Map.of("count", n("6")));

    assertThatThrownBy(() -> dynamo.updateItem(b -> b.tableName(table).key(key).updateExpression("SET pk = :v")
            .expressionAttributeValues(Map.of(":v", s("x")))))
        .hasMessageContaining("Cannot update attribute pk. This attribute is part of the key");
  }

  @Test
  void consumedCapacityFollowsDynamoDbsArithmetic() {
    String table = createTable("capacity", null);
    String twoKilobytes = "x".repeat(2000);
    double writeUnits = dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("c"), "v", s(twoKilobytes)))
        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits();
    assertThat(writeUnits).isEqualTo(2.0);
    double strong = dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", s("c"))).consistentRead(true)
        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits();
    // Asked for by name: the cluster's test client makes reads that leave it unset strong. A
    // stale answer (the item not there yet) costs the same half unit.
    double eventual = dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", s("c"))).consistentRead(false)
        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits();
    assertThat(strong).isEqualTo(1.0);
    assertThat(eventual).isEqualTo(0.5);
  }

  @Test
  void limitsAreEnforcedAtTheBoundary() {
    String table = createTable("limits", null);
    // 400 KB counts attribute names too: "pk" + "k" + "v" + value.
    int valueBytesMax = 400 * 1024 - "pk".length() - "k".length() - "v".length();
    dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("k"), "v", s("x".repeat(valueBytesMax)))));
    assertThatThrownBy(() -> dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("k"), "v", s("x".repeat(valueBytesMax + 1))))))
        .hasMessageContaining("Item size has exceeded the maximum allowed size");

    dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("p".repeat(2048)))));
    assertThatThrownBy(() -> dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("p".repeat(2049))))))
        .hasMessageContaining("Size of hashkey has exceeded the maximum size limit of2048 bytes");
    assertThatThrownBy(() -> dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("")))))
        .hasMessageContaining("cannot contain an empty string value");
    assertThatThrownBy(() -> dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", n("1")))))
        .hasMessageContaining("Type mismatch for key pk expected: S actual: N");
    assertThatThrownBy(() -> dynamo.getItem(b -> b.tableName(table).key(Map.of("nope", s("x")))))
        .hasMessageContaining("The provided key element does not match the schema");
  }

  @Test
  void missingTablesAndUnusedPlaceholdersAreRejected() {
    assertThatThrownBy(() -> dynamo.getItem(b -> b.tableName("no-such-table").key(Map.of("pk", s("x")))))
        .isInstanceOf(ResourceNotFoundException.class);
    String table = createTable("placeholders", null);
    assertThatThrownBy(() -> dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("x")))
            .conditionExpression("attribute_exists(pk)").expressionAttributeValues(Map.of(":unused", s("v")))))
        .isInstanceOf(DynamoDbException.class)
        .hasMessageContaining("Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");
  }
}
