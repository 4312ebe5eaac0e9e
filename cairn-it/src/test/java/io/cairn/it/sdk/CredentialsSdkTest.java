package io.cairn.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.server.CairnConfig;
import io.cairn.server.CairnServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** {@code cairn start --credentials FILE}: every signature is verified against the file's secrets. */
class CredentialsSdkTest {
  @TempDir Path dir;

  @Test
  void onlyRequestsSignedWithAKnownSecretAreServed() throws Exception {
    Path credentials = dir.resolve("credentials");
    Files.writeString(credentials, "# operators\nAKIDCAIRNTEST secret-one\n");
    try (CairnServer server = CairnServer.start(CairnConfig.forTests().withCredentialsFile(credentials))) {
      try (DynamoDbClient good = client(server, "AKIDCAIRNTEST", "secret-one")) {
        assertThat(good.listTables().tableNames()).isEmpty();
      }
      try (DynamoDbClient wrongSecret = client(server, "AKIDCAIRNTEST", "secret-two")) {
        assertThatThrownBy(wrongSecret::listTables).isInstanceOfSatisfying(DynamoDbException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"));
      }
      try (DynamoDbClient unknownKey = client(server, "AKIDUNKNOWN", "secret-one")) {
        assertThatThrownBy(unknownKey::listTables).isInstanceOfSatisfying(DynamoDbException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
      }
    }
  }

  private static DynamoDbClient client(CairnServer server, String accessKeyId, String secret) {
    return DynamoDbClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
        .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.api.RetryStrategy.class.cast(
            software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry())))
        .build();
  }
}
