package io.cairn.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.protocol.FrontEndConfig;
import io.cairn.protocol.HttpFrontEnd;
import io.cairn.protocol.auth.Authenticator;
import io.cairn.protocol.testing.EchoService;
import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The real AWS SDK for Java v2 (sync, Apache client) against a real front end: proves that our
 * SigV4 verification accepts real signatures, that the SDK accepts our CRC32, request ids and gzip,
 * and that error bodies map to the SDK's exception classes.
 */
class SdkCompatibilityTest {
  static final String ACCESS_KEY = "AKIDCAIRNTEST";
  static final String SECRET = "cairn/secret+key";

  static ExecutorService later;
  static EchoService service;
  static HttpFrontEnd server;
  static DynamoDbClient client;
  static final AtomicReference<SdkHttpResponse> lastHttpResponse = new AtomicReference<>();

  @BeforeAll
  static void start() throws Exception {
    later = Executors.newSingleThreadExecutor();
    service = new EchoService(later);
    server = HttpFrontEnd.start(
        FrontEndConfig.defaults("127.0.0.1", 0).withRegion("eu-west-1"),
        service,
        Authenticator.verifying(Map.of(ACCESS_KEY, SECRET), InstantSource.system()));
    client = client(ACCESS_KEY, SECRET, false);
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
    later.shutdownNow();
  }

  static DynamoDbClient client(String accessKey, String secret, boolean gzip) {
    return DynamoDbClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + server.address().getPort()))
        .region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
        .httpClient(ApacheHttpClient.builder().build())
        .overrideConfiguration(o -> {
          o.retryStrategy(AwsRetryStrategy.doNotRetry());
          o.addExecutionInterceptor(new ExecutionInterceptor() {
            @Override
            public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
              lastHttpResponse.set(context.httpResponse());
            }
          });
          if (gzip) {
            o.putHeader("Accept-Encoding", "gzip");
          }
        })
        .build();
  }

  @Test
  void listTablesWithVerifiedSignatureCrc32AndRequestId() {
    ListTablesResponse response = client.listTables();
    assertThat(response.tableNames()).containsExactly("table-0", "table-1", "table-2");
    assertThat(response.responseMetadata().requestId()).hasSize(52).matches("[0-9A-V]{52}");
    assertThat(lastHttpResponse.get().firstMatchingHeader("x-amz-crc32")).isPresent();
    assertThat(service.lastContext.get().accessKeyId()).isEqualTo(ACCESS_KEY);
    assertThat(service.lastContext.get().region()).isEqualTo("eu-west-1");
    assertThat(service.lastContext.get().requestId()).isEqualTo(response.responseMetadata().requestId());
  }

  @Test
  void gzipResponsesPassTheSdksCrc32Check() {
    try (DynamoDbClient gzipClient = client(ACCESS_KEY, SECRET, true)) {
      ListTablesResponse response = gzipClient.listTables(r -> r.limit(2_000));
      assertThat(response.tableNames()).hasSize(2_000).endsWith("table-1999");
      assertThat(lastHttpResponse.get().firstMatchingHeader("Content-Encoding")).hasValue("gzip");
    }
  }

  @Test
  void putItemRoundTripsEveryAttributeType() {
    Map<String, AttributeValue> item = Map.ofEntries(
        Map.entry("s", AttributeValue.fromS("text ✓")),
        Map.entry("n", AttributeValue.fromN("-12.50")),
        Map.entry("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 255}))),
        Map.entry("bool", AttributeValue.fromBool(true)),
        Map.entry("null", AttributeValue.fromNul(true)),
        Map.entry("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromL(List.of(AttributeValue.fromN("1")))))),
        Map.entry("ss", AttributeValue.fromSs(List.of("a", "b"))),
        Map.entry("ns", AttributeValue.fromNs(List.of("1", "2.5"))),
        Map.entry("bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("x"), SdkBytes.fromUtf8String("y")))));
    PutItemResponse response = client.putItem(r -> r.tableName("t").item(item));
    Map<String, AttributeValue> echoed = response.attributes();
    assertThat(echoed).containsOnlyKeys(item.keySet());
    assertThat(echoed.get("n").n()).isEqualTo("-12.5");
    assertThat(echoed.get("b").b().asByteArray()).containsExactly(0, 1, 2, 255);
    assertThat(echoed.get("s")).isEqualTo(item.get("s"));
    assertThat(echoed.get("m")).isEqualTo(item.get("m"));
    assertThat(echoed.get("ns").ns()).containsExactly("1", "2.5");
    assertThat(echoed.get("bs")).isEqualTo(item.get("bs"));
    assertThat(echoed.get("null").nul()).isTrue();
  }

  @Test
  void validationErrorsReachTheSdkAsDynamoDbExceptionWithErrorCode() {
    assertThatThrownBy(() -> client.putItem(r -> r.tableName("t").item(Map.of("a", AttributeValue.fromSs(List.of("x", "x"))))))
        .isInstanceOfSatisfying(DynamoDbException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Input collection [x, x] contains duplicates.");
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.requestId()).hasSize(52);
        });
  }

  @Test
  void resourceNotFoundMapsToTheSdkClass() {
    assertThatThrownBy(() -> client.getItem(r -> r.tableName("missing").key(Map.of("k", AttributeValue.fromS("v")))))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Requested resource not found");
  }

  @Test
  void conditionalCheckFailureCarriesTheItem() {
    assertThatThrownBy(() -> client.deleteItem(r -> r.tableName("t").key(Map.of("pk", AttributeValue.fromS("k")))))
        .isInstanceOfSatisfying(ConditionalCheckFailedException.class, e -> {
          assertThat(e.hasItem()).isTrue();
          assertThat(e.item()).containsEntry("n", AttributeValue.fromN("7"));
        });
  }

  @Test
  void transactionCancellationCarriesReasons() {
    assertThatThrownBy(() -> client.transactWriteItems(r -> r.transactItems(List.of(TransactWriteItem.builder().conditionCheck(c -> c
            .tableName("t").key(Map.of("pk", AttributeValue.fromS("k"))).conditionExpression("attribute_exists(pk)")).build()))))
        .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
          assertThat(e.cancellationReasons()).hasSize(2);
          assertThat(e.cancellationReasons().get(0).code()).isEqualTo("ConditionalCheckFailed");
          assertThat(e.cancellationReasons().get(1).code()).isEqualTo("None");
        });
  }

  @Test
  void unexpectedServiceFailureIsInternalServerErrorAndTheServerKeepsServing() {
    assertThatThrownBy(() -> client.describeLimits())
        .isInstanceOfSatisfying(DynamoDbException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(500);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalServerError");
        });
    assertThat(client.listTables().tableNames()).hasSize(3);
  }

  @Test
  void asynchronousCompletionOnAnotherThread() {
    var response = client.updateItem(r -> r.tableName("t").key(Map.of("pk", AttributeValue.fromS("k"))));
    assertThat(response.attributes().get("later").l()).containsExactly(AttributeValue.fromBool(true));
  }

  @Test
  void wrongSecretIsInvalidSignature() {
    try (DynamoDbClient wrong = client(ACCESS_KEY, "not-the-secret", false)) {
      assertThatThrownBy(wrong::listTables)
          .isInstanceOfSatisfying(DynamoDbException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("The request signature we calculated does not match");
          });
    }
  }

  @Test
  void unknownAccessKeyIsUnrecognizedClient() {
    try (DynamoDbClient stranger = client("AKIDSTRANGER", SECRET, false)) {
      assertThatThrownBy(stranger::listTables)
          .isInstanceOfSatisfying(DynamoDbException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is invalid.");
          });
    }
  }
}
