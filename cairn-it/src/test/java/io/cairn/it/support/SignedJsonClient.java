package io.cairn.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Sends raw DynamoDB JSON-protocol requests, signed with SigV4 by the AWS SDK's own signer, and
 * returns status and body untouched. The differential tests use it instead of the SDK so that they
 * can send requests the SDK would refuse to build (wrong types, missing members, oversized items).
 */
public final class SignedJsonClient {
  public static final String ACCESS_KEY_ID = "AKIDCAIRNTEST";
  public static final String SECRET_ACCESS_KEY = "cairn-test-secret";
  public static final String REGION = "us-east-1";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /** Headers java.net.http sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade");

  private final List<URI> endpoints;
  private int nextEndpoint;
  private final HttpClient http;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final AwsCredentialsIdentity credentials = AwsCredentialsIdentity.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY);

  public SignedJsonClient(URI endpoint) {
    this(List.of(endpoint));
  }

  /**
   * A client that sends each call to the next endpoint in turn: the routers of a cluster, as
   * requests through one DNS name spread over a fleet.
   */
  public SignedJsonClient(List<URI> endpoints) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoints");
    }
    this.endpoints = List.copyOf(endpoints);
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  public record Response(int status, String body) {}

  /** POSTs {@code body} with {@code X-Amz-Target: DynamoDB_20120810.<operation>}. */
  public Response call(String operation, String body) {
    URI endpoint = nextEndpoint();
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .uri(endpoint.resolve("/"))
            .method(SdkHttpMethod.POST)
            .putHeader("Content-Type", "application/x-amz-json-1.0")
            .putHeader("X-Amz-Target", "DynamoDB_20120810." + operation)
            .build();
    SignedRequest signed =
        signer.sign(
            r ->
                r.identity(credentials)
                    .request(unsigned)
                    .payload(ContentStreamProvider.fromByteArray(payload))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, REGION));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint.resolve("/"))
            .timeout(REQUEST_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
    for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
      if (RESTRICTED_HEADERS.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
        continue; // java.net.http sends the same Host value itself
      }
      for (String value : header.getValue()) {
        request.header(header.getKey(), value);
      }
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Response(-1, "{\"__transport_error\":\"" + e.getClass().getSimpleName() + "\"}");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private synchronized URI nextEndpoint() {
    URI endpoint = endpoints.get(nextEndpoint);
    nextEndpoint = (nextEndpoint + 1) % endpoints.size();
    return endpoint;
  }
}
