package io.cairn.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.protocol.FrontEndConfig;
import io.cairn.protocol.HttpFrontEnd;
import io.cairn.protocol.auth.Authenticator;
import io.cairn.protocol.testing.EchoService;
import io.cairn.protocol.testing.RawHttp;
import io.cairn.protocol.testing.TestSigner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Raw HTTP against the front end, for what SDKs never send: malformed bodies, bad targets, bad
 * signatures, oversized and compressed bodies, CORS and the health check. After every bad request
 * the same connection (or a new one, when the server closed it) must still be served.
 */
public class RawHttpTest {
  static final String ACCESS_KEY = "AKIDRAW";
  static final String SECRET = "raw-secret";
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  static ExecutorService later;
  static HttpFrontEnd open;
  static HttpFrontEnd strict;
  static final AtomicReference<Instant> strictClock = new AtomicReference<>(NOW);
  RawHttp connection;

  @BeforeAll
  static void start() throws IOException {
    later = Executors.newSingleThreadExecutor();
    EchoService service = new EchoService(later);
    open = HttpFrontEnd.start(
        FrontEndConfig.defaults("127.0.0.1", 0).withBodyLimits(64 * 1024, 256 * 1024),
        service, Authenticator.acceptingAnySignature());
    strict = HttpFrontEnd.start(FrontEndConfig.defaults("127.0.0.1", 0), service,
        Authenticator.verifying(Map.of(ACCESS_KEY, SECRET), () -> strictClock.get()));
  }

  @AfterAll
  static void stop() {
    open.close();
    strict.close();
    later.shutdownNow();
  }

  @AfterEach
  void closeConnection() throws IOException {
    if (connection != null) {
      connection.close();
    }
    strictClock.set(NOW);
  }

  static final String ANY_AUTH =
      "AWS4-HMAC-SHA256 Credential=AKIDANY/20261121/us-east-1/dynamodb/aws4_request, "
          + "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0123456789abcdef";

  public static Map<String, String> headers(String target) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-amz-json-1.0");
    if (target != null) {
      headers.put("X-Amz-Target", target);
    }
    headers.put("X-Amz-Date", "20261121T120000Z");
    headers.put("Authorization", ANY_AUTH);
    return headers;
  }

  RawHttp.Response post(Map<String, String> headers, byte[] body) throws IOException {
    if (connection == null) {
      connection = new RawHttp(open.address());
    }
    return connection.send("POST", "/", headers, body);
  }

  RawHttp.Response post(String target, String body) throws IOException {
    return post(headers(target), body.getBytes(StandardCharsets.UTF_8));
  }

  static void assertError(RawHttp.Response response, int status, String type, String message) throws IOException {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.header("x-amzn-RequestId")).matches("[0-9A-V]{52}");
    CRC32 crc = new CRC32();
    crc.update(response.body());
    assertThat(response.header("x-amz-crc32")).isEqualTo(Long.toString(crc.getValue()));
    JsonNode body = response.json();
    assertThat(body.path("__type").asText()).isEqualTo(type);
    if (message != null) {
      assertThat(body.path("message").asText()).isEqualTo(message);
    }
  }

  void assertStillServing() throws IOException {
    if (connection == null || connection.closedByServerNow()) {
      if (connection != null) {
        connection.close();
      }
      connection = new RawHttp(open.address());
    }
    RawHttp.Response response = post("DynamoDB_20120810.ListTables", "{}");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("TableNames").size()).isEqualTo(3);
  }

  @Test
  void keepAliveServesManyRequestsOnOneConnection() throws IOException {
    for (int i = 0; i < 20; i++) {
      RawHttp.Response response = post("DynamoDB_20120810.ListTables", "{\"Limit\": " + i + "}");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().path("TableNames").size()).isEqualTo(i);
      assertThat(response.header("Content-Type")).isEqualTo("application/x-amz-json-1.0");
      assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("*");
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws IOException {
    connection = new RawHttp(open.address());
    Map<String, String> slow = headers("DynamoDB_20120810.UpdateItem");
    connection.writeRequest("POST", "/", slow, "{}".getBytes(StandardCharsets.UTF_8));
    connection.writeRequest("POST", "/", headers("DynamoDB_20120810.ListTables"), "{\"Limit\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(connection.read().json().has("Attributes")).isTrue();
    assertThat(connection.read().json().path("TableNames").size()).isEqualTo(1);
  }

  @Test
  void malformedJsonIsSerializationException() throws IOException {
    RawHttp.Response response = post("DynamoDB_20120810.ListTables", "{\"Limit\": ");
    assertError(response, 400, "com.amazon.coral.service#SerializationException", null);
    assertThat(response.json().path("message").asText()).startsWith("Malformed JSON request body");
    assertStillServing();
  }

  @Test
  void nonObjectTopLevelIsSerializationException() throws IOException {
    assertError(post("DynamoDB_20120810.ListTables", "[1,2]"), 400,
        "com.amazon.coral.service#SerializationException", "Start of list found where not expected");
    assertError(post("DynamoDB_20120810.ListTables", "\"x\""), 400,
        "com.amazon.coral.service#SerializationException", "Expected null");
    assertStillServing();
  }

  @Test
  void invalidUtf8IsSerializationException() throws IOException {
    byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    RawHttp.Response response = post(headers("DynamoDB_20120810.ListTables"), body);
    assertError(response, 400, "com.amazon.coral.service#SerializationException", null);
    assertThat(response.json().path("message").asText()).contains("UTF-8");
    assertStillServing();
  }

  @Test
  void deepNestingFailsFast() throws IOException {
    String deep = "{\"a\":".repeat(4_000) + "1" + "}".repeat(4_000);
    long startNanos = System.nanoTime();
    RawHttp.Response response = post("DynamoDB_20120810.ListTables", deep);
    assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(Duration.ofSeconds(2));
    assertError(response, 400, "com.amazon.coral.service#SerializationException", null);
    assertThat(response.json().path("message").asText()).contains("nesting depth");
    assertStillServing();
  }

  @Test
  void attributeValueValidationUsesDynamoDbWording() throws IOException {
    assertError(post("DynamoDB_20120810.PutItem", "{\"Item\":{\"a\":{}}}"), 400,
        "com.amazon.coral.validate#ValidationException",
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    assertError(post("DynamoDB_20120810.PutItem", "{\"Item\":{\"a\":{\"NS\":[]}}}"), 400,
        "com.amazon.coral.validate#ValidationException",
        "One or more parameter values were invalid: An number set  may not be empty");
    assertError(post("DynamoDB_20120810.PutItem", "{\"Item\":{\"a\":{\"S\":5}}}"), 400,
        "com.amazon.coral.service#SerializationException", "NUMBER_VALUE cannot be converted to String");
    assertStillServing();
  }

  @Test
  void unknownOrMissingTargetIsUnknownOperation() throws IOException {
    assertError(post(null, "{}"), 400, "com.amazon.coral.service#UnknownOperationException", null);
    assertError(post("DynamoDB_20120810.", "{}"), 400, "com.amazon.coral.service#UnknownOperationException", null);
    assertError(post("Kinesis_20131202.ListStreams", "{}"), 400, "com.amazon.coral.service#UnknownOperationException", null);
    assertError(post("DynamoDB_20120810.NoSuchOperation", "{}"), 400, "com.amazon.coral.service#UnknownOperationException", null);
    Map<String, String> xml = headers("DynamoDB_20120810.ListTables");
    xml.put("Content-Type", "text/xml");
    assertError(post(xml, "{}".getBytes(StandardCharsets.UTF_8)), 400, "com.amazon.coral.service#UnknownOperationException", null);
    Map<String, String> plainJson = headers("DynamoDB_20120810.ListTables");
    plainJson.put("Content-Type", "application/json; charset=utf-8");
    assertThat(post(plainJson, "{}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
    assertStillServing();
  }

  @Test
  void oversizedBodyIsRequestEntityTooLargeAndTheConnectionSurvives() throws IOException {
    byte[] big = new byte[200 * 1024];
    java.util.Arrays.fill(big, (byte) ' ');
    RawHttp.Response response = post(headers("DynamoDB_20120810.ListTables"), big);
    assertError(response, 413, "com.amazon.coral.service#RequestEntityTooLarge",
        "Request must be smaller than 65536 bytes for the DynamoDB service");
    assertStillServing();
  }

  @Test
  void oversizedBodyAnnouncedWithExpectContinueIsRefusedBeforeItIsSent() throws IOException {
    Map<String, String> headers = headers("DynamoDB_20120810.ListTables");
    headers.put("Expect", "100-continue");
    headers.put("Content-Length", Integer.toString(10 * 1024 * 1024));
    connection = new RawHttp(open.address());
    connection.writeRequest("POST", "/", headers, new byte[0]);
    assertError(connection.read(), 413, "com.amazon.coral.service#RequestEntityTooLarge", null);
    connection.close();
    connection = null;
    assertStillServing();
  }

  @Test
  void gzipAndDeflateBodiesAreDecompressed() throws IOException {
    Map<String, String> gzipHeaders = headers("DynamoDB_20120810.ListTables");
    gzipHeaders.put("Content-Encoding", "gzip");
    assertThat(post(gzipHeaders, gzip("{\"Limit\": 5}".getBytes(StandardCharsets.UTF_8))).json()
        .path("TableNames").size()).isEqualTo(5);
    Map<String, String> deflateHeaders = headers("DynamoDB_20120810.ListTables");
    deflateHeaders.put("Content-Encoding", "deflate");
    ByteArrayOutputStream zlib = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(zlib)) {
      out.write("{\"Limit\": 4}".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(post(deflateHeaders, zlib.toByteArray()).json().path("TableNames").size()).isEqualTo(4);
  }

  @Test
  void corruptGzipIsSerializationException() throws IOException {
    Map<String, String> gzipHeaders = headers("DynamoDB_20120810.ListTables");
    gzipHeaders.put("Content-Encoding", "gzip");
    byte[] body = gzip("{\"Limit\": 5}".getBytes(StandardCharsets.UTF_8));
    body[body.length - 5] ^= 0x55;
    assertError(post(gzipHeaders, body), 400, "com.amazon.coral.service#SerializationException", null);
    assertStillServing();
  }

  @Test
  void gzipBombIsRefusedWithBoundedMemory() throws IOException {
    // 64 MB of zeros compresses to ~64 KB; the cap for this server is 256 KB inflated.
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
      byte[] zeros = new byte[1024 * 1024];
      for (int i = 0; i < 64; i++) {
        out.write(zeros);
      }
    }
    assertThat(compressed.size()).isLessThan(64 * 1024);
    Map<String, String> gzipHeaders = headers("DynamoDB_20120810.ListTables");
    gzipHeaders.put("Content-Encoding", "gzip");
    assertError(post(gzipHeaders, compressed.toByteArray()), 413,
        "com.amazon.coral.service#RequestEntityTooLarge", "Request must be smaller than 262144 bytes for the DynamoDB service");
    assertStillServing();
  }

  @Test
  void gzipResponseWhenAccepted() throws IOException {
    Map<String, String> headers = headers("DynamoDB_20120810.ListTables");
    headers.put("Accept-Encoding", "gzip, deflate");
    RawHttp.Response response = post(headers, "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(response.header("Content-Encoding")).isEqualTo("gzip");
    CRC32 crc = new CRC32();
    crc.update(response.body());
    assertThat(response.header("x-amz-crc32")).isEqualTo(Long.toString(crc.getValue()));
    byte[] json = new GZIPInputStream(new java.io.ByteArrayInputStream(response.body())).readAllBytes();
    assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"TableNames\":[\"table-0\",\"table-1\",\"table-2\"]}");
  }

  @Test
  void missingAuthorizationIsMissingAuthenticationToken() throws IOException {
    Map<String, String> headers = headers("DynamoDB_20120810.ListTables");
    headers.remove("Authorization");
    assertError(post(headers, "{}".getBytes(StandardCharsets.UTF_8)), 400,
        "com.amazon.coral.service#MissingAuthenticationTokenException", "Request is missing Authentication Token");
    assertStillServing();
  }

  @Test
  void theBodyIsCheckedBeforeTheSignatureAndTheOperationBeforeBoth() throws IOException {
    Map<String, String> unsigned = headers("DynamoDB_20120810.ListTables");
    unsigned.remove("Authorization");
    assertError(post(unsigned, "{".getBytes(StandardCharsets.UTF_8)), 400,
        "com.amazon.coral.service#SerializationException", null);
    Map<String, String> unknown = headers("DynamoDB_20120810.NoSuchOperation");
    unknown.remove("Authorization");
    assertError(post(unknown, "{".getBytes(StandardCharsets.UTF_8)), 400,
        "com.amazon.coral.service#UnknownOperationException", null);
    assertStillServing();
  }

  @Test
  void malformedAuthorizationIsIncompleteSignature() throws IOException {
    Map<String, String> headers = headers("DynamoDB_20120810.ListTables");
    headers.put("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/dynamodb/aws4_request");
    headers.remove("X-Amz-Date");
    RawHttp.Response response = post(headers, "{}".getBytes(StandardCharsets.UTF_8));
    assertError(response, 400, "com.amazon.coral.service#IncompleteSignatureException",
        "Authorization header requires 'Signature' parameter. "
            + "Authorization header requires 'SignedHeaders' parameter. "
            + "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            + "Authorization=AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/dynamodb/aws4_request");
    assertStillServing();
  }

  @Test
  void healthCheck() throws IOException {
    connection = new RawHttp(open.address());
    RawHttp.Response response = connection.send("GET", "/", Map.of(), new byte[0]);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).isEqualTo("healthy: dynamodb.us-east-1.amazonaws.com ");
    assertThat(response.header("x-amzn-RequestId")).hasSize(52);
    assertStillServing();
  }

  @Test
  void connectionCloseAndHttp10AreHonoured() throws IOException {
    connection = new RawHttp(open.address());
    Map<String, String> closing = headers("DynamoDB_20120810.ListTables");
    closing.put("Connection", "close");
    RawHttp.Response response = connection.send("POST", "/", closing, "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Connection")).isEqualTo("close");
    assertThat(connection.closedByServer()).isTrue();
    connection.close();

    connection = new RawHttp(open.address());
    connection.writeRaw("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(connection.read().text()).startsWith("healthy: ");
    assertThat(connection.closedByServer()).isTrue();
    connection.close();
    connection = null;
    assertStillServing();
  }

  @Test
  void headHealthCheckHasNoBody() throws IOException {
    connection = new RawHttp(open.address());
    connection.writeRequest("HEAD", "/", Map.of(), new byte[0]);
    connection.writeRequest("GET", "/", Map.of(), new byte[0]);
    // Read the HEAD response's head only: its Content-Length describes a body that is not sent.
    RawHttp.Response head = connection.readHeadOnly();
    assertThat(head.status()).isEqualTo(200);
    assertThat(connection.read().text()).startsWith("healthy: ");
  }

  @Test
  void corsPreflight() throws IOException {
    connection = new RawHttp(open.address());
    RawHttp.Response response = connection.send("OPTIONS", "/", Map.of(
        "Origin", "https://console.example.com",
        "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "authorization,content-type,x-amz-target,x-amz-date"), new byte[0]);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(response.header("Access-Control-Allow-Methods")).contains("POST");
    assertThat(response.header("Access-Control-Allow-Headers")).isEqualTo("authorization,content-type,x-amz-target,x-amz-date");
    assertThat(response.header("Access-Control-Expose-Headers")).contains("x-amzn-RequestId");
    assertThat(response.header("Access-Control-Max-Age")).isEqualTo("172800");
    assertStillServing();
  }

  @Test
  void malformedHttpIsAnsweredAndTheServerKeepsServing() throws IOException {
    connection = new RawHttp(open.address());
    connection.writeRaw("POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    RawHttp.Response response = connection.read();
    assertThat(response.status()).isEqualTo(400);
    connection.close();
    connection = null;
    assertStillServing();
  }

  // ---- signatures, against the verifying server, signed by the AWS SDK's own signer ----

  RawHttp.Response signedPost(String accessKey, String secret, Instant signedAt, String body) throws IOException {
    URI endpoint = URI.create("http://127.0.0.1:" + strict.address().getPort() + "/");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-amz-json-1.0");
    headers.put("X-Amz-Target", "DynamoDB_20120810.ListTables");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> signed = TestSigner.sign(endpoint, headers, bytes, accessKey, secret, signedAt);
    try (RawHttp raw = new RawHttp(strict.address())) {
      return raw.send("POST", "/", signed, bytes);
    }
  }

  @Test
  void validSignatureIsAccepted() throws IOException {
    assertThat(signedPost(ACCESS_KEY, SECRET, NOW, "{}").status()).isEqualTo(200);
    assertThat(signedPost(ACCESS_KEY, SECRET, NOW.minus(Duration.ofMinutes(14)), "{}").status()).isEqualTo(200);
  }

  @Test
  void wrongSecretIsInvalidSignature() throws IOException {
    assertError(signedPost(ACCESS_KEY, "wrong", NOW, "{}"), 400, "com.amazon.coral.service#InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key "
            + "and signing method. Consult the service documentation for details.");
  }

  @Test
  void unknownAccessKeyIsUnrecognizedClient() throws IOException {
    assertError(signedPost("AKIDNOBODY", SECRET, NOW, "{}"), 400, "com.amazon.coral.service#UnrecognizedClientException",
        "The security token included in the request is invalid.");
  }

  @Test
  void expiredAndFutureSignaturesAreRefused() throws IOException {
    assertError(signedPost(ACCESS_KEY, SECRET, NOW.minus(Duration.ofMinutes(16)), "{}"), 400,
        "com.amazon.coral.service#InvalidSignatureException",
        "Signature expired: 20261121T114400Z is now earlier than 20261121T114500Z (20261121T120000Z - 15 min.)");
    assertError(signedPost(ACCESS_KEY, SECRET, NOW.plus(Duration.ofMinutes(16)), "{}"), 400,
        "com.amazon.coral.service#InvalidSignatureException",
        "Signature not yet current: 20261121T121600Z is still later than 20261121T121500Z (20261121T120000Z + 15 min.)");
  }

  @Test
  void tamperedBodyIsInvalidSignature() throws IOException {
    URI endpoint = URI.create("http://127.0.0.1:" + strict.address().getPort() + "/");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-amz-json-1.0");
    headers.put("X-Amz-Target", "DynamoDB_20120810.ListTables");
    Map<String, String> signed = TestSigner.sign(endpoint, headers, "{\"Limit\":1}".getBytes(StandardCharsets.UTF_8),
        ACCESS_KEY, SECRET, NOW);
    try (RawHttp raw = new RawHttp(strict.address())) {
      assertError(raw.send("POST", "/", signed, "{\"Limit\":2}".getBytes(StandardCharsets.UTF_8)), 400,
          "com.amazon.coral.service#InvalidSignatureException", null);
    }
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
