package io.cairn.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class DynamoDbLocalTest {
  @Test
  void startsAnswersSignedRequestsAndStopsWithoutLeavingAProcess() {
    long pid;
    try (DynamoDbLocal local = DynamoDbLocal.start()) {
      pid = local.pid();
      SignedJsonClient.Response raw = new SignedJsonClient(local.endpoint()).call("ListTables", "{}");
      assertThat(raw.status()).isEqualTo(200);
      assertThat(raw.body()).contains("\"TableNames\"");
      try (DynamoDbClient sdk =
          DynamoDbClient.builder()
              .endpointOverride(local.endpoint())
              .region(Region.US_EAST_1)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(SignedJsonClient.ACCESS_KEY_ID, SignedJsonClient.SECRET_ACCESS_KEY)))
              .build()) {
        assertThat(sdk.listTables().tableNames()).isEmpty();
      }
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }
}
