package io.cairn.it.sdk;

import io.cairn.server.CairnConfig;
import io.cairn.server.CairnServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * One in-process Cairn server per test class, with the real AWS SDK for Java v2 clients pointed
 * at it exactly as a user would configure them.
 */
abstract class SdkTestBase {
  static CairnServer server;
  static DynamoDbClient dynamo;
  static DynamoDbAsyncClient dynamoAsync;
  private static final AtomicInteger TABLE_COUNTER = new AtomicInteger();

  @BeforeAll
  static void startServer() {
    server = CairnServer.start(CairnConfig.forTests());
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("cairn-test", "cairn-test-secret"));
    dynamo = DynamoDbClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .httpClient(ApacheHttpClient.builder().build())
        .build();
    dynamoAsync = DynamoDbAsyncClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .httpClient(NettyNioAsyncHttpClient.builder().build())
        .build();
  }

  @AfterAll
  static void stopServer() {
    dynamo.close();
    dynamoAsync.close();
    server.close();
  }

  /** A fresh table name, so tests in one class never see each other's data. */
  static String uniqueTableName(String prefix) {
    return prefix + "-" + TABLE_COUNTER.incrementAndGet();
  }

  /** Creates an on-demand table with a string partition key and an optional sort key of the given type. */
  static String createTable(String prefix, ScalarAttributeType sortKeyType) {
    String name = uniqueTableName(prefix);
    dynamo.createTable(builder -> {
      builder.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST);
      if (sortKeyType == null) {
        builder.attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
            .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build());
      } else {
        builder.attributeDefinitions(
                AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                AttributeDefinition.builder().attributeName("sk").attributeType(sortKeyType).build())
            .keySchema(
                KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build());
      }
    });
    dynamo.waiter().waitUntilTableExists(builder -> builder.tableName(name));
    return name;
  }

  static List<String> list(String... values) {
    return List.of(values);
  }
}
