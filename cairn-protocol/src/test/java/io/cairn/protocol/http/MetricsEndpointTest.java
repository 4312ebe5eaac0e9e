package io.cairn.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.protocol.DynamoDbService;
import io.cairn.protocol.FrontEndConfig;
import io.cairn.protocol.HttpFrontEnd;
import io.cairn.protocol.RequestContext;
import io.cairn.protocol.ServiceResponse;
import io.cairn.protocol.auth.Authenticator;
import io.cairn.protocol.metrics.CairnMeters;
import io.cairn.protocol.testing.EchoService;
import io.cairn.protocol.testing.RawHttp;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The front end's request meters, read back the way Prometheus reads them: a few requests of each
 * kind over raw HTTP, then {@code GET /metrics}, and the parsed counters must have moved by exactly
 * the requests made — each expected series by its count and every other series not at all.
 *
 * <p>The registry runs on a {@link MockClock} that the service advances by a fixed step per call,
 * so the latency timer's count, sum and percentiles are exact, not "greater than zero".
 */
class MetricsEndpointTest {
  private static final Duration SERVICE_TIME = Duration.ofMillis(7);
  private static final int BODY_BYTES_MAX = 4096;
  private static final String REQUESTS = "cairn_requests_total";
  private static final String LATENCY = "cairn_request_latency_seconds";

  private final MockClock clock = new MockClock();
  private PrometheusMeterRegistry registry;
  private HttpFrontEnd server;
  private RawHttp connection;

  @BeforeEach
  void start() throws IOException {
    registry = CairnMeters.newRegistry("test-router-1", "router", clock);
    server = HttpFrontEnd.start(FrontEndConfig.defaults("127.0.0.1", 0).withBodyLimits(BODY_BYTES_MAX, BODY_BYTES_MAX),
        new SlowService(new EchoService(ForkJoinPool.commonPool()), clock), Authenticator.acceptingAnySignature(),
        registry);
    connection = new RawHttp(server.address());
  }

  @AfterEach
  void stop() throws IOException {
    connection.close();
    server.close();
    registry.close();
  }

  @Test
  void countersMoveByExactlyTheRequestsMadePerOperationAndOutcome() throws IOException {
    int puts = 5;
    int gets = 3;
    int missingTables = 4;
    int conditionFailures = 2;
    int bugs = 1;
    int badBodies = 2;
    int unknownTargets = 3;
    int tooLarge = 1;
    Map<Series, Double> before = scrape();

    for (int i = 0; i < puts; i++) {
      assertThat(post("PutItem", "{\"TableName\":\"t\",\"Item\":{\"pk\":{\"S\":\"k" + i + "\"}}}")).isEqualTo(200);
    }
    for (int i = 0; i < gets; i++) {
      assertThat(post("GetItem", "{\"TableName\":\"t\",\"Key\":{\"pk\":{\"S\":\"k\"}}}")).isEqualTo(200);
    }
    for (int i = 0; i < missingTables; i++) {
      assertThat(post("GetItem", "{\"TableName\":\"missing\",\"Key\":{\"pk\":{\"S\":\"k\"}}}")).isEqualTo(400);
    }
    for (int i = 0; i < conditionFailures; i++) {
      assertThat(post("DeleteItem", "{\"TableName\":\"t\",\"Key\":{\"pk\":{\"S\":\"k\"}}}")).isEqualTo(400);
    }
    for (int i = 0; i < bugs; i++) {
      assertThat(post("DescribeLimits", "{}")).isEqualTo(500);
    }
    for (int i = 0; i < badBodies; i++) {
      assertThat(post("PutItem", "{not json")).isEqualTo(400);
    }
    for (int i = 0; i < unknownTargets; i++) {
      // A name the service does not implement, different each time: must not become a series.
      assertThat(post("Frobnicate" + i, "{}")).isEqualTo(400);
    }
    for (int i = 0; i < tooLarge; i++) {
      byte[] big = ("{\"TableName\":\"t\",\"Item\":{\"pk\":{\"S\":\"" + "x".repeat(BODY_BYTES_MAX) + "\"}}}")
          .getBytes(StandardCharsets.UTF_8);
      try (RawHttp fresh = new RawHttp(server.address())) {
        assertThat(fresh.send("POST", "/", RawHttpTest.headers("DynamoDB_20120810.PutItem"), big).status()).isEqualTo(413);
      }
      // Announced with Expect: 100-continue and refused before the body is sent: counted once too.
      Map<String, String> announced = RawHttpTest.headers("DynamoDB_20120810.PutItem");
      announced.put("Expect", "100-continue");
      announced.put("Content-Length", Integer.toString(10 * BODY_BYTES_MAX));
      try (RawHttp fresh = new RawHttp(server.address())) {
        fresh.writeRequest("POST", "/", announced, new byte[0]);
        assertThat(fresh.read().status()).isEqualTo(413);
      }
    }
    // Neither the health check nor a preflight is a DynamoDB request.
    assertThat(connection.send("GET", "/", Map.of(), new byte[0]).status()).isEqualTo(200);
    assertThat(connection.send("OPTIONS", "/", Map.of(), new byte[0]).status()).isEqualTo(200);

    Map<Series, Double> after = scrape();
    Map<Series, Double> moved = deltas(before, after, REQUESTS);

    Map<Series, Double> expected = new HashMap<>();
    expected.put(requests("PutItem", "ok", "ok"), (double) puts);
    expected.put(requests("GetItem", "ok", "ok"), (double) gets);
    expected.put(requests("GetItem", "ResourceNotFoundException", "client_error"), (double) missingTables);
    expected.put(requests("DeleteItem", "ConditionalCheckFailedException", "client_error"), (double) conditionFailures);
    expected.put(requests("DescribeLimits", "InternalServerError", "server_error"), (double) bugs);
    expected.put(requests("PutItem", "SerializationException", "client_error"), (double) badBodies);
    expected.put(requests("unknown", "UnknownOperationException", "client_error"), (double) unknownTargets);
    expected.put(requests("PutItem", "RequestEntityTooLarge", "client_error"), (double) 2 * tooLarge);
    assertThat(moved).isEqualTo(expected);
    assertThat(after.keySet()).noneMatch(s -> s.labels().values().stream().anyMatch(v -> v.startsWith("Frobnicate")));

    // Latency: successful requests only, each exactly SERVICE_TIME on the registry's clock.
    double serviceSeconds = SERVICE_TIME.toNanos() / 1e9;
    Map<Series, Double> latencyCounts = deltas(before, after, LATENCY + "_count");
    assertThat(latencyCounts).isEqualTo(Map.of(
        latency("_count", "PutItem"), (double) puts,
        latency("_count", "GetItem"), (double) gets));
    assertThat(after.get(latency("_sum", "PutItem")) - before.getOrDefault(latency("_sum", "PutItem"), 0.0))
        .isCloseTo(puts * serviceSeconds, within(1e-9));
    for (String quantile : new String[] {"0.5", "0.99", "0.999"}) {
      assertThat(after.get(quantile("PutItem", quantile))).as("p%s", quantile).isCloseTo(serviceSeconds, within(serviceSeconds / 50));
    }
  }

  @Test
  void metricsAreTheTextFormatWithTheProcessAndRoleOnEverySeries() throws IOException {
    post("ListTables", "{}");
    RawHttp.Response response = connection.send("GET", "/metrics", Map.of(), new byte[0]);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("content-type")).isEqualTo(CairnMeters.PROMETHEUS_CONTENT_TYPE);
    assertThat(response.header("x-amzn-RequestId")).isNotBlank();
    assertThat(response.text()).contains("# TYPE " + REQUESTS + " counter");
    Map<Series, Double> series = parse(response.text());
    assertThat(series).isNotEmpty();
    assertThat(series.keySet()).allSatisfy(s -> assertThat(s.labels())
        .containsEntry("process", "test-router-1").containsEntry("role", "router"));
    // A query string is still the metrics path; HEAD answers the headers alone.
    assertThat(connection.send("GET", "/metrics?name[]=x", Map.of(), new byte[0]).text()).contains(REQUESTS);
    connection.writeRequest("HEAD", "/metrics", Map.of(), new byte[0]);
    assertThat(connection.readHeadOnly().status()).isEqualTo(200);
    // Any other path is still the health check.
    assertThat(connection.send("GET", "/metricsz", Map.of(), new byte[0]).text()).startsWith("healthy: ");
  }

  @Test
  void commonTagValuesAreChecked() {
    assertThatThrownBy(() -> CairnMeters.newRegistry("", "router")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CairnMeters.newRegistry("router 1", "router")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CairnMeters.newRegistry("router-1", null)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private int post(String operation, String body) throws IOException {
    return connection.send("POST", "/", RawHttpTest.headers("DynamoDB_20120810." + operation),
        body.getBytes(StandardCharsets.UTF_8)).status();
  }

  private Map<Series, Double> scrape() throws IOException {
    RawHttp.Response response = connection.send("GET", "/metrics", Map.of(), new byte[0]);
    assertThat(response.status()).isEqualTo(200);
    return parse(response.text());
  }

  /** One sample line's identity: metric name and labels (order-insensitive). */
  record Series(String name, Map<String, String> labels) {}

  private static Series requests(String operation, String outcome, String errorClass) {
    return new Series(REQUESTS, labels("operation", operation, "outcome", outcome, "class", errorClass));
  }

  private static Series latency(String suffix, String operation) {
    return new Series(LATENCY + suffix, labels("operation", operation));
  }

  private static Series quantile(String operation, String quantile) {
    Map<String, String> labels = labels("operation", operation);
    labels.put("quantile", quantile);
    return new Series(LATENCY, labels);
  }

  private static Map<String, String> labels(String... keyValues) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("process", "test-router-1");
    labels.put("role", "router");
    for (int i = 0; i < keyValues.length; i += 2) {
      labels.put(keyValues[i], keyValues[i + 1]);
    }
    return labels;
  }

  /** Series of {@code name} whose value changed, with the change (a new series counts from zero). */
  private static Map<Series, Double> deltas(Map<Series, Double> before, Map<Series, Double> after, String name) {
    Map<Series, Double> moved = new HashMap<>();
    after.forEach((series, value) -> {
      double delta = value - before.getOrDefault(series, 0.0);
      if (series.name().equals(name) && delta != 0) {
        moved.put(series, delta);
      }
    });
    return moved;
  }

  /** Parses the Prometheus text format's sample lines: {@code name{k="v",...} value}. */
  static Map<Series, Double> parse(String text) {
    Map<Series, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      Map<String, String> labels = new TreeMap<>();
      String name;
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        String body = line.substring(brace + 1, line.lastIndexOf('}'));
        int i = 0;
        while (i < body.length()) {
          int eq = body.indexOf('=', i);
          int open = eq + 1;
          int close = body.indexOf('"', open + 1);
          while (body.charAt(close - 1) == '\\') {
            close = body.indexOf('"', close + 1);
          }
          labels.put(body.substring(i, eq), body.substring(open + 1, close));
          i = close + 1;
          if (i < body.length() && body.charAt(i) == ',') {
            i++;
          }
        }
      } else {
        name = line.substring(0, space);
      }
      samples.put(new Series(name, labels), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  /** Delegates to the echo service after advancing the registry's clock by {@link #SERVICE_TIME}. */
  private record SlowService(DynamoDbService inner, MockClock clock) implements DynamoDbService {
    @Override
    public CompletionStage<ServiceResponse> call(String operation, ObjectNode request, RequestContext context) {
      clock.add(SERVICE_TIME.toNanos(), TimeUnit.NANOSECONDS);
      return inner.call(operation, request, context);
    }

    @Override
    public boolean supports(String operation) {
      return inner.supports(operation);
    }
  }
}
