package io.cairn.it.sdk;

import io.cairn.it.support.ClusterExclusions;
import io.cairn.it.support.ClusterLogsOnFailure;
import io.cairn.it.support.ClusterTarget;
import io.cairn.it.support.Deployment;
import io.cairn.server.CairnConfig;
import io.cairn.server.CairnServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
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
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The SDK tests run twice, once per {@link Deployment}: against an in-process Cairn server (one
 * per test class), and against the shared 3-AZ cluster ({@link ClusterTarget}) with each request
 * sent to router-1 and router-2 in turn. The real AWS SDK for Java v2 clients are pointed at the
 * target exactly as a user would configure them. Tests in {@link ClusterExclusions} are skipped on
 * the cluster with their reason.
 *
 * <p>A subclass's one-time set-up must be a static {@code
 * @BeforeParameterizedClassInvocation(injectArguments = false)} method, not {@code @BeforeAll}:
 * in a parameterised class, {@code @BeforeAll} runs once for the class, before any invocation, when
 * no server is running yet. It runs after this class's {@link #startServer}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Deployment.class)
@ExtendWith(ClusterLogsOnFailure.class)
abstract class SdkTestBase {
  /** This invocation's deployment (JUnit injects it; the static copy below serves static set-ups). */
  @Parameter Deployment deploymentOfInstance;
  static Deployment deployment;
  /** The in-process server; null on the cluster. */
  static CairnServer server;
  static DynamoDbClient dynamo;
  static DynamoDbAsyncClient dynamoAsync;
  private static final AtomicInteger TABLE_COUNTER = new AtomicInteger();
  /** Names handed out on the cluster by the running class, deleted after it. */
  private static final List<String> NAMES_GIVEN = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final String RUN_ID = Long.toString(System.currentTimeMillis() % (36L * 36 * 36 * 36 * 36), 36);

  @BeforeParameterizedClassInvocation
  static void startServer(Deployment target) {
    deployment = target;
    if (target == Deployment.CLUSTER) {
      // An excluded class still gets its clients: each of its tests is then reported skipped, with
      // the reason, by skipIfExcluded (an abort here would vanish from the build's report).
      ClusterTarget cluster = ClusterTarget.shared();
      dynamo = cluster.alternatingClient();
      dynamoAsync = cluster.alternatingAsyncClient();
      return;
    }
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

  @BeforeEach
  void skipIfExcluded(TestInfo info) {
    if (deployment == Deployment.CLUSTER) {
      ClusterExclusions.forMethod(info.getTestClass().orElseThrow(), info.getTestMethod().orElseThrow())
          .ifPresent(reason -> Assumptions.abort("not run on the cluster: " + reason));
    }
  }

  @AfterParameterizedClassInvocation
  static void stopServer() {
    if (deployment == Deployment.CLUSTER && dynamo != null) {
      deleteTablesOfThisClass();
    }
    if (dynamo != null) {
      dynamo.close();
      dynamoAsync.close();
    }
    if (server != null) {
      server.close();
    }
    dynamo = null;
    dynamoAsync = null;
    server = null;
    deployment = null;
  }

  /**
   * The shared cluster outlives the test class, and every partition replica costs its storage node
   * memory (an 8 MB Ratis log buffer): a class leaves no table behind.
   */
  private static void deleteTablesOfThisClass() {
    for (String name : NAMES_GIVEN) {
      try {
        dynamo.deleteTable(b -> b.tableName(name));
      } catch (ResourceNotFoundException e) {
        // Never created (a test of a refused CreateTable) or already deleted by the test.
      }
    }
    NAMES_GIVEN.clear();
  }

  /** A fresh table name, so tests in one class never see each other's data. */
  static String uniqueTableName(String prefix) {
    String name = prefix + "-" + TABLE_COUNTER.incrementAndGet();
    if (deployment != Deployment.CLUSTER) {
      return name;
    }
    // A cluster may outlive this JVM (-Dcairn.it.cluster.dir): names must not meet an earlier run's.
    String clusterName = name + "-" + RUN_ID;
    NAMES_GIVEN.add(clusterName);
    return clusterName;
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
