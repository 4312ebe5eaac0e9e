package io.cairn.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.protocol.FrontEndConfig;
import io.cairn.protocol.HttpFrontEnd;
import io.cairn.protocol.auth.Authenticator;
import io.cairn.protocol.testing.EchoService;
import java.net.URI;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** The async SDK client on its Netty HTTP client: many concurrent requests over pooled connections. */
class AsyncSdkCompatibilityTest {
  @Test
  void concurrentRequestsFromTheAsyncClient() throws Exception {
    ExecutorService later = Executors.newSingleThreadExecutor();
    try (HttpFrontEnd server = HttpFrontEnd.start(FrontEndConfig.defaults("127.0.0.1", 0), new EchoService(later),
            Authenticator.verifying(Map.of("AKIDASYNC", "async-secret"), InstantSource.system()));
        DynamoDbAsyncClient client = DynamoDbAsyncClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + server.address().getPort()))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDASYNC", "async-secret")))
            .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(8))
            .build()) {
      List<CompletableFuture<ListTablesResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int limit = i % 7;
        calls.add(client.listTables(r -> r.limit(limit)));
      }
      for (int i = 0; i < calls.size(); i++) {
        assertThat(calls.get(i).join().tableNames()).hasSize(i % 7);
      }
      assertThat(client.updateItem(r -> r.tableName("t").key(Map.of("k", AttributeValue.fromS("v")))).join()
          .attributes()).containsKey("later");
      assertThatThrownBy(() -> client.getItem(r -> r.tableName("missing").key(Map.of("k", AttributeValue.fromS("v")))).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(ResourceNotFoundException.class);
    } finally {
      later.shutdownNow();
    }
  }
}
