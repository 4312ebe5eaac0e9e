package io.cairn.bench.ycsb;

import java.time.Duration;
import java.util.Properties;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Creates the benchmark table (string hash key, on-demand billing) and waits until it is ACTIVE:
 * {@code java -cp ... io.cairn.bench.ycsb.CreateTable ENDPOINT TABLE [KEY_ATTRIBUTE]}. Drops and
 * recreates it if it exists, so every run loads into an empty table.
 */
public final class CreateTable {
  private CreateTable() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: CreateTable ENDPOINT TABLE [KEY_ATTRIBUTE]");
      System.exit(2);
    }
    Properties p = new Properties();
    p.setProperty("dynamodb.endpoint", args[0]);
    if (args.length > 2) {
      p.setProperty("dynamodb.keyAttribute", args[2]);
    }
    BindingConfig config = BindingConfig.from(p);
    String table = args[1];
    try (DynamoDbClient client = SharedClient.build(config)) {
      try {
        client.createTable(r -> r.tableName(table)
            .attributeDefinitions(AttributeDefinition.builder().attributeName(config.keyAttribute())
                .attributeType(ScalarAttributeType.S).build())
            .keySchema(KeySchemaElement.builder().attributeName(config.keyAttribute()).keyType(KeyType.HASH).build())
            .applyMutation(b -> {
              // -Dcairn.bench.provisioned=RCU,WCU: a provisioned table, which Cairn starts with as
              // many partitions as the throughput needs (a cluster spreads their leaders over its
              // nodes); otherwise on-demand, one partition to start with.
              String provisioned = System.getProperty("cairn.bench.provisioned");
              if (provisioned == null) {
                b.billingMode(BillingMode.PAY_PER_REQUEST);
              } else {
                String[] units = provisioned.split(",");
                b.billingMode(BillingMode.PROVISIONED).provisionedThroughput(t -> t
                    .readCapacityUnits(Long.parseLong(units[0].trim())).writeCapacityUnits(Long.parseLong(units[1].trim())));
              }
            }));
      } catch (ResourceInUseException e) {
        client.deleteTable(r -> r.tableName(table));
        client.waiter().waitUntilTableNotExists(r -> r.tableName(table));
        main(args);
        return;
      }
      client.waiter().waitUntilTableExists(r -> r.tableName(table), w -> w.waitTimeout(Duration.ofMinutes(2)));
      System.out.println("created table " + table + " at " + config.endpoint());
    }
  }
}
