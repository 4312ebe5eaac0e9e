package io.cairn.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.FrontEndConfig;
import io.cairn.protocol.HttpFrontEnd;
import io.cairn.protocol.auth.Authenticator;
import io.cairn.protocol.testing.EchoService;
import io.cairn.protocol.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever bytes arrive as a body, in whatever Content-Encoding, the answer is a 4xx DynamoDB
 * error body (or a 200), never a 500, a dropped connection or a hang (the client's read times out
 * after 15 s).
 */
class RandomBodyPropertyTest {
  static HttpFrontEnd server;

  @BeforeContainer
  static void start() throws IOException {
    server = HttpFrontEnd.start(FrontEndConfig.defaults("127.0.0.1", 0).withBodyLimits(64 * 1024, 64 * 1024),
        new EchoService(ForkJoinPool.commonPool()), Authenticator.acceptingAnySignature());
  }

  @AfterContainer
  static void stop() {
    server.close();
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000);
    Arbitrary<byte[]> jsonish = Arbitraries.strings()
        .withChars("{}[]\":,0123456789.eE-+ \\SNBLMtruefalsn\u00e9\u0000")
        .ofMaxLength(300)
        .map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> items = Arbitraries.strings().withChars("{}[]\":,SNBLMULLBOOLSSNSBS01a=")
        .ofMaxLength(120)
        .map(s -> ("{\"Item\":{\"a\":" + s + "}}").getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(random, jsonish, items);
  }

  @Property(tries = 300)
  void anyBodyGetsA4xxOr200AndTheConnectionKeepsServing(
      @ForAll("bodies") byte[] body,
      @ForAll("operations") String operation,
      @ForAll("encodings") String encoding) throws IOException {
    try (RawHttp http = new RawHttp(server.address())) {
      Map<String, String> headers = new java.util.LinkedHashMap<>(RawHttpTest.headers("DynamoDB_20120810." + operation));
      if (!encoding.isEmpty()) {
        headers.put("Content-Encoding", encoding);
      }
      RawHttp.Response response = http.send("POST", "/", headers, body);
      if (response.status() == 200) {
        assertThat(response.json().isObject()).isTrue();
      } else {
        assertThat(response.status()).isBetween(400, 499);
        assertThat(response.json().path("__type").asText()).startsWith("com.amazon");
      }
      RawHttp.Response next = http.send("POST", "/", RawHttpTest.headers("DynamoDB_20120810.ListTables"),
          "{}".getBytes(StandardCharsets.UTF_8));
      assertThat(next.status()).isEqualTo(200);
    }
  }

  @Provide
  Arbitrary<String> operations() {
    return Arbitraries.of("ListTables", "PutItem", "GetItem");
  }

  @Provide
  Arbitrary<String> encodings() {
    return Arbitraries.of("", "", "", "gzip", "deflate", "br");
  }
}
