package io.cairn.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.Tag;

class TableOperationsSdkTest extends SdkTestBase {

  @Test
  void createDescribeAndDeleteAProvisionedTable() {
    String name = uniqueTableName("provisioned");
    CreateTableResponse created = dynamo.createTable(b -> b.tableName(name)
        .attributeDefinitions(
            AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.N).build(),
            AttributeDefinition.builder().attributeName("at").attributeType(ScalarAttributeType.B).build())
        .keySchema(
            KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build(),
            KeySchemaElement.builder().attributeName("at").keyType(KeyType.RANGE).build())
        .provisionedThroughput(p -> p.readCapacityUnits(7L).writeCapacityUnits(3L)));
    assertThat(created.tableDescription().tableStatus()).isEqualTo(TableStatus.CREATING);
    dynamo.waiter().waitUntilTableExists(b -> b.tableName(name));

    TableDescription table = dynamo.describeTable(b -> b.tableName(name)).table();
    assertThat(table.tableStatus()).isEqualTo(TableStatus.ACTIVE);
    assertThat(table.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("id", "at");
    assertThat(table.provisionedThroughput().readCapacityUnits()).isEqualTo(7L);
    assertThat(table.provisionedThroughput().writeCapacityUnits()).isEqualTo(3L);
    assertThat(table.tableArn()).isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/" + name);
    assertThat(table.itemCount()).isZero();
    assertThat(table.creationDateTime()).isNotNull();

    assertThat(dynamo.deleteTable(b -> b.tableName(name)).tableDescription().tableStatus()).isEqualTo(TableStatus.DELETING);
    dynamo.waiter().waitUntilTableNotExists(b -> b.tableName(name));
    assertThatThrownBy(() -> dynamo.describeTable(b -> b.tableName(name)))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Requested resource not found: Table: " + name + " not found");
  }

  @Test
  void creatingAnExistingTableIsResourceInUse() {
    String name = createTable("twice", null);
    assertThatThrownBy(() -> createTableNamed(name)).isInstanceOf(ResourceInUseException.class)
        .hasMessageContaining("Table already exists: " + name);
  }

  @Test
  void invalidDefinitionsAreValidationErrorsWithDynamoDbsWords() {
    assertThatThrownBy(() -> createTableNamed("ab"))
        .isInstanceOf(DynamoDbException.class)
        .hasMessageContaining("Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3")
        .extracting(e -> ((DynamoDbException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    assertThatThrownBy(() -> dynamo.createTable(b -> b.tableName(uniqueTableName("undeclared"))
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(AttributeDefinition.builder().attributeName("x").attributeType(ScalarAttributeType.S).build())
            .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())))
        .hasMessageContaining("Some index key attributes are not defined in AttributeDefinitions");
    assertThatThrownBy(() -> dynamo.createTable(b -> b.tableName(uniqueTableName("nothroughput"))
            .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
            .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())))
        .hasMessageContaining("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
  }

  @Test
  void listTablesPagesInNameOrder() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(createTable("page", null));
    }
    List<String> seen = new ArrayList<>();
    dynamo.listTablesPaginator(b -> b.limit(2)).tableNames().forEach(seen::add);
    assertThat(seen).containsAll(created).isSorted();
    assertThat(dynamo.listTables(b -> b.limit(2)).lastEvaluatedTableName()).isNotNull();
  }

  @Test
  void updateTableChangesBillingThroughputAndDeletionProtection() {
    String name = createTable("update", null);
    TableDescription provisioned = dynamo.updateTable(b -> b.tableName(name).billingMode(BillingMode.PROVISIONED)
        .provisionedThroughput(p -> p.readCapacityUnits(5L).writeCapacityUnits(5L))).tableDescription();
    assertThat(provisioned.tableStatus()).isEqualTo(TableStatus.UPDATING);
    dynamo.waiter().waitUntilTableExists(b -> b.tableName(name));
    assertThat(dynamo.describeTable(b -> b.tableName(name)).table().provisionedThroughput().readCapacityUnits()).isEqualTo(5L);

    assertThatThrownBy(() -> dynamo.updateTable(b -> b.tableName(name)
            .provisionedThroughput(p -> p.readCapacityUnits(5L).writeCapacityUnits(5L))))
        .hasMessageContaining("The provisioned throughput for the table will not change");

    dynamo.updateTable(b -> b.tableName(name).deletionProtectionEnabled(true));
    assertThatThrownBy(() -> dynamo.deleteTable(b -> b.tableName(name)))
        .hasMessageContaining("Resource cannot be deleted as it is currently protected against deletion");
    dynamo.updateTable(b -> b.tableName(name).deletionProtectionEnabled(false));
    dynamo.deleteTable(b -> b.tableName(name));
  }

  @Test
  void tagsCanBeAddedListedAndRemoved() {
    String name = createTable("tags", null);
    String arn = dynamo.describeTable(b -> b.tableName(name)).table().tableArn();
    dynamo.tagResource(b -> b.resourceArn(arn).tags(
        Tag.builder().key("team").value("storage").build(), Tag.builder().key("tier").value("1").build()));
    assertThat(dynamo.listTagsOfResource(b -> b.resourceArn(arn)).tags())
        .extracting(Tag::key, Tag::value).containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("team", "storage"), org.assertj.core.groups.Tuple.tuple("tier", "1"));
    dynamo.untagResource(b -> b.resourceArn(arn).tagKeys("tier"));
    assertThat(dynamo.listTagsOfResource(b -> b.resourceArn(arn)).tags()).extracting(Tag::key).containsExactly("team");
  }

  @Test
  void describeLimitsAndEndpointsAnswer() {
    assertThat(dynamo.describeLimits().tableMaxReadCapacityUnits()).isPositive();
    assertThat(dynamo.describeEndpoints().endpoints()).hasSize(1);
  }

  private static void createTableNamed(String name) {
    dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
  }
}
