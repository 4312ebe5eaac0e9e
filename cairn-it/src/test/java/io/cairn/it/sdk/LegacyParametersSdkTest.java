package io.cairn.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The pre-expression parameters that older applications and SDK mappers still send. */
class LegacyParametersSdkTest extends SdkTestBase {

  @Test
  void expectedAttributeUpdatesKeyConditionsFiltersAndAttributesToGet() {
    String table = createTable("legacy", ScalarAttributeType.N);
    for (int i = 0; i < 10; i++) {
      int sk = i;
      dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromN(Integer.toString(sk)),
          "v", AttributeValue.fromN(Integer.toString(sk * 10)), "name", AttributeValue.fromS("item" + sk))));
    }
    Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromN("3"));

    dynamo.updateItem(b -> b.tableName(table).key(key)
        .attributeUpdates(Map.of("v", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(AttributeValue.fromN("5")).build(),
            "name", AttributeValueUpdate.builder().action(AttributeAction.DELETE).build()))
        .expected(Map.of("v", ExpectedAttributeValue.builder().value(AttributeValue.fromN("30")).build())));
    Map<String, AttributeValue> updated = dynamo.getItem(b -> b.tableName(table).key(key).attributesToGet("v", "name")).item();
    assertThat(updated).isEqualTo(Map.of("v", AttributeValue.fromN("35")));

    assertThatThrownBy(() -> dynamo.putItem(b -> b.tableName(table).item(key)
            .expected(Map.of("v", ExpectedAttributeValue.builder().exists(false).build()))))
        .isInstanceOf(ConditionalCheckFailedException.class);

    var response = dynamo.query(b -> b.tableName(table)
        .keyConditions(Map.of(
            "pk", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(AttributeValue.fromS("p")).build(),
            "sk", Condition.builder().comparisonOperator(ComparisonOperator.GE).attributeValueList(AttributeValue.fromN("5")).build()))
        .queryFilter(Map.of("v", Condition.builder().comparisonOperator(ComparisonOperator.LT)
            .attributeValueList(AttributeValue.fromN("80")).build())));
    assertThat(response.items()).extracting(item -> item.get("sk").n()).containsExactly("5", "6", "7");

    var scanned = dynamo.scan(b -> b.tableName(table).scanFilter(Map.of("name", Condition.builder()
        .comparisonOperator(ComparisonOperator.BEGINS_WITH).attributeValueList(AttributeValue.fromS("item1")).build())));
    assertThat(scanned.items()).extracting(item -> item.get("sk").n()).containsExactly("1");

    assertThatThrownBy(() -> dynamo.getItem(b -> b.tableName(table).key(key).attributesToGet("v").projectionExpression("v")))
        .hasMessageContaining("Can not use both expression and non-expression parameters in the same request");
    assertThat(List.of(table)).isNotEmpty();
  }
}
