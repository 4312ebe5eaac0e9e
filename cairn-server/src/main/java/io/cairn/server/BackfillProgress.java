package io.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code cairn backfill}: watches a GSI being created on a live table through DescribeTable (as
 * any client could) and draws a progress bar: entries in the index against items in the table,
 * the index status, and the changes still on their way from the table's outboxes.
 */
final class BackfillProgress {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BAR_WIDTH = 40;

  private final URI endpoint;
  private final String accessKeyId;
  private final String secretAccessKey;
  private final String region;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  BackfillProgress(URI endpoint, String accessKeyId, String secretAccessKey, String region) {
    this.endpoint = endpoint;
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    this.region = region;
  }

  /** One line per index of the table (or only {@code indexName}); true when every one is ACTIVE. */
  boolean show(String tableName, String indexName, PrintStream out) throws IOException, InterruptedException {
    JsonNode table = describe(tableName).path("Table");
    long tableItems = table.path("ItemCount").asLong();
    boolean allActive = true;
    boolean any = false;
    for (JsonNode index : table.path("GlobalSecondaryIndexes")) {
      String name = index.path("IndexName").asText();
      if (indexName != null && !indexName.equals(name)) {
        continue;
      }
      any = true;
      String status = index.path("IndexStatus").asText();
      long entries = index.path("ItemCount").asLong();
      boolean active = "ACTIVE".equals(status);
      allActive &= active;
      out.println(line(name, status, index.path("Backfilling").asBoolean(false), entries, tableItems,
          index.path("CairnPendingIndexChanges").asLong(), active));
    }
    if (!any) {
      throw new IllegalArgumentException("table " + tableName + " has no global secondary index"
          + (indexName == null ? "" : " named " + indexName));
    }
    return allActive;
  }

  /**
   * The bar counts index entries against table items; a sparse index never reaches 100%, so an
   * ACTIVE index shows a full bar whatever its count.
   */
  static String line(String name, String status, boolean backfilling, long entries, long tableItems, long pending,
      boolean active) {
    double fraction = active ? 1.0 : tableItems == 0 ? 0.0 : Math.min(1.0, (double) entries / tableItems);
    int filled = (int) Math.round(fraction * BAR_WIDTH);
    return String.format("%-24s [%s%s] %3d%%  %s%s  %,d entries / %,d table items  %,d changes pending",
        name, "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), Math.round(fraction * 100), status,
        backfilling ? " (backfilling)" : "", entries, tableItems, pending);
  }

  private JsonNode describe(String tableName) throws IOException, InterruptedException {
    byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("TableName", tableName));
    String amzDate = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
    String date = amzDate.substring(0, 8);
    String host = endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
    String target = "DynamoDB_20120810.DescribeTable";
    String payloadHash = hex(sha256(body));
    String signedHeaders = "content-type;host;x-amz-date;x-amz-target";
    String canonical = "POST\n/\n\ncontent-type:application/x-amz-json-1.0\nhost:" + host + "\nx-amz-date:" + amzDate
        + "\nx-amz-target:" + target + "\n\n" + signedHeaders + "\n" + payloadHash;
    String scope = date + "/" + region + "/dynamodb/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, "dynamodb");
    key = hmac(key, "aws4_request");
    String signature = hex(hmac(key, toSign));
    HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("X-Amz-Date", amzDate)
        .header("X-Amz-Target", target)
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scope + ", SignedHeaders="
            + signedHeaders + ", Signature=" + signature)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonNode json = JSON.readTree(response.body());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("DescribeTable failed: " + response.statusCode() + " " + json.path("message").asText(response.body()));
    }
    return json;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
