package io.cairn.it.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.CairnConfig;
import io.cairn.server.CairnServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random expressions, attribute values and request shapes sent to a real server: every answer is a
 * 200 or a DynamoDB 4xx error, within a bounded time, and the server keeps serving. The seed is
 * printed and can be replayed with {@code -Dcairn.fuzz.seed=N}.
 *
 * <p>CI runs a fixed seed, so that a run fails only when behaviour changes; exploring new inputs is
 * a separate run: {@code -Dcairn.fuzz.seed=random -Dcairn.fuzz.requests=100000}.
 */
class ServerFuzzTest {
  private static final int REQUESTS = Integer.getInteger("cairn.fuzz.requests", 3_000);
  private static final Duration ANSWER_TIME_MAX = Duration.ofSeconds(5);
  private static final List<String> TOKENS = List.of(
      "a", "#n", ":v", ":w", "b.c", "a[0]", "a[99999999999]", "=", "<>", "<", "<=", ">", ">=", "AND", "OR", "NOT",
      "BETWEEN", "IN", "(", ")", ",", "SET", "REMOVE", "ADD", "DELETE", "+", "-", "size(", "attribute_exists(",
      "attribute_not_exists(", "begins_with(", "contains(", "attribute_type(", "if_not_exists(", "list_append(",
      "status", "\u0000", "é", "[", "]", ".", "#", ":", "0", "\"", "'", " ");
  private static final List<String> VALUES = List.of(
      "{\"S\":\"x\"}", "{\"N\":\"1\"}", "{\"N\":\"1e126\"}", "{\"N\":\"abc\"}", "{\"B\":\"!!\"}", "{\"B\":\"AAE=\"}",
      "{\"BOOL\":true}", "{\"NULL\":false}", "{\"SS\":[]}", "{\"SS\":[\"a\",\"a\"]}", "{\"NS\":[\"1\",\"1.0\"]}",
      "{\"L\":[{\"M\":{}}]}", "{}", "{\"S\":\"x\",\"N\":\"1\"}", "{\"M\":{\"k\":{\"N\":\"-0\"}}}", "null", "[]", "7");

  @Test
  void randomRequestsNeverCauseAServerErrorOrAHang() throws Exception {
    String seedProperty = System.getProperty("cairn.fuzz.seed", "20261122");
    long seed = seedProperty.equals("random") ? System.nanoTime() : Long.parseLong(seedProperty);
    System.out.println("ServerFuzzTest seed " + seed + " (replay with -Dcairn.fuzz.seed=" + seed + ")");
    Random random = new Random(seed);
    try (CairnServer server = CairnServer.start(CairnConfig.forTests())) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(ANSWER_TIME_MAX).build();
      send(http, server.endpoint(), "CreateTable", "{\"TableName\":\"fuzz\",\"BillingMode\":\"PAY_PER_REQUEST\","
          + "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"}],"
          + "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}]}");
      int served = 0;
      int refused = 0;
      for (int i = 0; i < REQUESTS; i++) {
        String[] request = randomRequest(random);
        HttpResponse<String> response = send(http, server.endpoint(), request[0], request[1]);
        if (response.statusCode() == 200) {
          served++;
        } else {
          refused++;
        }
        assertThat(response.statusCode())
            .as("seed %d request %d: %s %s answered %s", seed, i, request[0], request[1], response.body())
            .isIn(200, 400, 413);
        if (response.statusCode() != 200) {
          assertThat(response.body()).as("seed %d request %d error body", seed, i).contains("\"__type\"");
        }
      }
      System.out.println("ServerFuzzTest: " + served + " served, " + refused + " refused");
      // The generator must reach both the semantics and the validation, or it proves little.
      assertThat(served).as("requests answered 200").isGreaterThan(REQUESTS / 50);
      assertThat(refused).as("requests refused with an error").isGreaterThan(REQUESTS / 2);
      // Still serving well-formed requests afterwards.
      assertThat(send(http, server.endpoint(), "ListTables", "{}").statusCode()).isEqualTo(200);
    }
  }

  /** Well-formed expressions, so that a good share of requests reaches the storage path. */
  private static final List<String> VALID_CONDITIONS = List.of(
      "attribute_exists(a)", "attribute_not_exists(#n)", "a = :v", "size(a) > :v", "a IN (:v, :w)", "begins_with(a, :v)",
      "NOT contains(#n, :v) OR a <> :w");
  private static final List<String> VALID_UPDATES = List.of(
      "SET a = :v", "SET #n = if_not_exists(#n, :v)", "REMOVE a", "ADD a :v", "SET a = :v, b = :w", "DELETE a :v");

  private static String[] randomRequest(Random random) {
    String key = "{\"pk\":" + (random.nextInt(4) == 0 ? pick(random, VALUES) : "{\"S\":\"k" + random.nextInt(5) + "\"}")
        + ",\"sk\":{\"N\":\"" + random.nextInt(5) + "\"}}";
    int operation = random.nextInt(6);
    String first = switch (operation) {
      case 1 -> random.nextBoolean() ? pick(random, VALID_UPDATES) : randomExpression(random);
      case 2 -> random.nextBoolean() ? "pk = :v" : randomExpression(random);
      default -> random.nextBoolean() ? pick(random, VALID_CONDITIONS) : randomExpression(random);
    };
    String second = random.nextBoolean() ? pick(random, VALID_CONDITIONS) : randomExpression(random);
    String placeholders = placeholders(random, first + " " + (operation == 2 || operation == 3 ? second : ""));
    String expression = quote(first);
    return switch (operation) {
      case 0 -> new String[] {"PutItem", "{\"TableName\":\"fuzz\",\"Item\":" + withAttribute(key, random)
          + ",\"ConditionExpression\":" + expression + placeholders + "}"};
      case 1 -> new String[] {"UpdateItem", "{\"TableName\":\"fuzz\",\"Key\":" + key
          + ",\"UpdateExpression\":" + expression + placeholders + ",\"ReturnValues\":\"ALL_NEW\"}"};
      case 2 -> new String[] {"Query", "{\"TableName\":\"fuzz\",\"KeyConditionExpression\":" + expression
          + ",\"FilterExpression\":" + quote(second) + placeholders + "}"};
      case 3 -> new String[] {"Scan", "{\"TableName\":\"fuzz\",\"FilterExpression\":" + expression
          + ",\"ProjectionExpression\":" + quote(second) + placeholders + "}"};
      case 4 -> new String[] {"GetItem", "{\"TableName\":\"fuzz\",\"Key\":" + key + "}"};
      default -> new String[] {"DeleteItem", "{\"TableName\":\"fuzz\",\"Key\":" + key + ",\"ConditionExpression\":"
          + expression + placeholders + "}"};
    };
  }

  /** The placeholders the expressions mention, and now and then one they don't (which must be refused). */
  private static String placeholders(Random random, String expressions) {
    boolean extra = random.nextInt(10) == 0;
    StringBuilder json = new StringBuilder();
    if (expressions.contains("#n") || extra) {
      json.append(",\"ExpressionAttributeNames\":{\"#n\":\"a\"}");
    }
    StringBuilder values = new StringBuilder();
    for (String placeholder : List.of(":v", ":w")) {
      if (expressions.contains(placeholder) || extra) {
        values.append(values.isEmpty() ? "" : ",").append("\"").append(placeholder).append("\":").append(pick(random, VALUES));
      }
    }
    if (!values.isEmpty()) {
      json.append(",\"ExpressionAttributeValues\":{").append(values).append("}");
    }
    return json.toString();
  }

  private static String withAttribute(String key, Random random) {
    return key.substring(0, key.length() - 1) + ",\"a\":" + pick(random, VALUES) + "}";
  }

  private static String randomExpression(Random random) {
    StringBuilder text = new StringBuilder();
    int tokens = 1 + random.nextInt(12);
    for (int i = 0; i < tokens; i++) {
      text.append(pick(random, TOKENS)).append(random.nextBoolean() ? " " : "");
    }
    return text.toString();
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0000", "\\u0000") + "\"";
  }

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static HttpResponse<String> send(HttpClient http, URI endpoint, String operation, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .timeout(ANSWER_TIME_MAX)
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("X-Amz-Target", "DynamoDB_20120810." + operation)
        .header("X-Amz-Date", "20260101T000000Z")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=fuzz/20260101/us-east-1/dynamodb/aws4_request, "
            + "SignedHeaders=host;x-amz-date;x-amz-target, Signature=" + "0".repeat(64))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
