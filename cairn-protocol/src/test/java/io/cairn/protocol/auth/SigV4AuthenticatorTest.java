package io.cairn.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

class SigV4AuthenticatorTest {
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  static final Authenticator STRICT = Authenticator.verifying(Map.of("AKID", "secret"), () -> NOW);

  /** A request as the server sees it, built from headers and a URI. */
  record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] bytes)
      implements SignedRequest {
    @Override
    public List<String> headerValues(String lowerCaseName) {
      return headers.getOrDefault(lowerCaseName, List.of());
    }

    @Override
    public ByteBuffer body() {
      return ByteBuffer.wrap(bytes);
    }
  }

  /** Signs with the SDK's signer, then presents the signed request to the verifier. */
  static Request signedBySdk(SdkHttpMethod method, String uri, byte[] body, String secret, String service) {
    SdkHttpRequest request = SdkHttpRequest.builder().method(method).uri(URI.create(uri))
        .putHeader("Content-Type", "application/x-amz-json-1.0").build();
    var signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsBasicCredentials.create("AKID", secret))
        .request(request)
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
        .putProperty(AwsV4HttpSigner.REGION_NAME, "ap-south-1")
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)));
    Map<String, List<String>> headers = new LinkedHashMap<>();
    signed.request().forEachHeader((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
    headers.putIfAbsent("host", List.of(signed.request().host() + (signed.request().port() == 80 ? "" : ":" + signed.request().port())));
    String encodedPath = signed.request().encodedPath();
    URI parsed = URI.create(uri);
    return new Request(method.name(), encodedPath, parsed.getRawQuery() == null ? "" : parsed.getRawQuery(), headers, body);
  }

  @Test
  void acceptsSdkSignaturesAndNamesThePrincipal() {
    Request request = signedBySdk(SdkHttpMethod.POST, "http://localhost:8000/", "{}".getBytes(StandardCharsets.UTF_8), "secret", "dynamodb");
    assertThat(STRICT.authenticate(request)).isEqualTo(new Principal("AKID", "ap-south-1"));
  }

  @Test
  void acceptsQueryStringsAndEncodedPaths() {
    Request request = signedBySdk(SdkHttpMethod.GET,
        "http://localhost:8000/a%20b/c?z=1&a=x%2Fy&a=b&empty=&sp=a%20b", new byte[0], "secret", "dynamodb");
    assertThat(STRICT.authenticate(request).accessKeyId()).isEqualTo("AKID");
  }

  @Test
  void refusesATamperedHeader() {
    Request request = signedBySdk(SdkHttpMethod.POST, "http://localhost:8000/", new byte[0], "secret", "dynamodb");
    request.headers().put("content-type", List.of("application/json"));
    assertRefused(request, ErrorType.INVALID_SIGNATURE, "The request signature we calculated does not match");
  }

  @Test
  void refusesAScopeForAnotherService() {
    Request request = signedBySdk(SdkHttpMethod.POST, "http://localhost:8000/", new byte[0], "secret", "s3");
    assertRefused(request, ErrorType.INVALID_SIGNATURE, "Credential should be scoped to correct service: 'dynamodb'. ");
  }

  @Test
  void refusesAScopeDateThatIsNotTheRequestDate() {
    Request request = signedBySdk(SdkHttpMethod.POST, "http://localhost:8000/", new byte[0], "secret", "dynamodb");
    request.headers().put("x-amz-date", List.of("20261122T000100Z"));
    assertRefused(request, ErrorType.INVALID_SIGNATURE,
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261121' != '20261122', from '20261122T000100Z'.");
  }

  @Test
  void refusesMalformedCredentials() {
    Request request = bare("AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/dynamodb, SignedHeaders=host, Signature=ab");
    assertRefused(request, ErrorType.INCOMPLETE_SIGNATURE,
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/20261121/us-east-1/dynamodb'");
    assertRefused(bare("Bearer token"), ErrorType.INCOMPLETE_SIGNATURE, "Authorization header requires 'Credential' parameter. ");
    assertRefused(bare("AWS4-HMAC-SHA1 Credential=AKID/20261121/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=ab"),
        ErrorType.INCOMPLETE_SIGNATURE, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1'");
  }

  @Test
  void acceptAnyModeTakesAnyWellFormedSignatureButNotNone() {
    Authenticator any = Authenticator.acceptingAnySignature();
    Request request = bare("AWS4-HMAC-SHA256 Credential=WHOEVER/20261121/local/dynamodb/aws4_request, SignedHeaders=host, Signature=00");
    assertThat(any.authenticate(request)).isEqualTo(new Principal("WHOEVER", "local"));
    Request none = new Request("POST", "/", "", new LinkedHashMap<>(), new byte[0]);
    assertThatThrownBy(() -> any.authenticate(none))
        .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.MISSING_AUTHENTICATION_TOKEN));
  }

  @Test
  void dateHeaderIsAcceptedInsteadOfXAmzDate() {
    Authenticator any = Authenticator.acceptingAnySignature();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=K/20261121/r/dynamodb/aws4_request, SignedHeaders=host, Signature=00"));
    headers.put("date", List.of("Sat, 21 Nov 2026 12:00:00 GMT"));
    assertThat(any.authenticate(new Request("POST", "/", "", headers, new byte[0])).region()).isEqualTo("r");
  }

  @Test
  void canonicalQueryIsSortedAndEncoded() {
    assertThat(SigV4Authenticator.canonicalQuery("b=2&a=x%2Fy&a=1&c")).isEqualTo("a=1&a=x%2Fy&b=2&c=");
    assertThat(SigV4Authenticator.canonicalUri("")).isEqualTo("/");
    assertThat(SigV4Authenticator.canonicalUri("/a%20b")).isEqualTo("/a%2520b");
  }

  static Request bare(String authorization) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("authorization", List.of(authorization));
    headers.put("x-amz-date", List.of("20261121T120000Z"));
    headers.put("host", List.of("localhost"));
    return new Request("POST", "/", "", headers, new byte[0]);
  }

  static void assertRefused(Request request, ErrorType type, String messagePrefix) {
    assertThatThrownBy(() -> STRICT.authenticate(request))
        .isInstanceOfSatisfying(DynamoDbException.class, e -> {
          assertThat(e.type()).isEqualTo(type);
          assertThat(e.getMessage()).startsWith(messagePrefix);
        });
  }
}
