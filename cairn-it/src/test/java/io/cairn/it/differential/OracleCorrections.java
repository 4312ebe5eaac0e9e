package io.cairn.it.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Rewrites a DynamoDB Local response where DynamoDB Local is known to differ from DynamoDB's
 * documented behaviour, so that the differential test holds the target to DynamoDB, not to
 * DynamoDB Local's quirks (ARCHITECTURE.md: "follow DynamoDB's documentation"). Applied to every
 * DynamoDB Local outcome, on either side, so Local-vs-Local stays at zero differences. Each rule
 * names the deviation; keep this list in step with docs/compatibility.md.
 */
final class OracleCorrections {
  private OracleCorrections() {}

  private static boolean isEmptyFinalPage(JsonNode page) {
    JsonNode body = page.path("body");
    return page.path("status").asInt() == 200 && body.path("Count").asInt(-1) == 0
        && body.path("ScannedCount").asInt(-1) == 0 && !body.has("LastEvaluatedKey");
  }

  static void apply(Step step, JsonNode outcome) {
    if (outcome.isArray()) {
      outcome.forEach(page -> apply(step, page));
      return;
    }
    if (!(outcome instanceof ObjectNode object) || object.path("status").asInt() != 200
        || !(object.get("body") instanceof ObjectNode body)) {
      return;
    }
    // DynamoDB Local returns tables ACTIVE from CreateTable and DeleteTable; DynamoDB returns
    // CREATING and DELETING (the CreateTable and DeleteTable API references).
    if (step.operation().equals("CreateTable") && body.get("TableDescription") instanceof ObjectNode d) {
      d.put("TableStatus", "CREATING");
      // Likewise its GSIs: CREATING in DynamoDB's CreateTable response.
      d.path("GlobalSecondaryIndexes").forEach(g -> ((ObjectNode) g).put("IndexStatus", "CREATING"));
    }
    if (step.operation().equals("DeleteTable") && body.get("TableDescription") instanceof ObjectNode d) {
      d.put("TableStatus", "DELETING");
    }
    // DynamoDB describes every GSI's ProvisionedThroughput, zeros for an on-demand table, with
    // NumberOfDecreasesToday; DynamoDB Local leaves the member (or that field) out.
    for (String member : List.of("TableDescription", "Table")) {
      body.path(member).path("GlobalSecondaryIndexes").forEach(g -> {
        ObjectNode index = (ObjectNode) g;
        if (!(index.get("ProvisionedThroughput") instanceof ObjectNode throughput)) {
          index.putObject("ProvisionedThroughput").put("NumberOfDecreasesToday", 0).put("ReadCapacityUnits", 0)
              .put("WriteCapacityUnits", 0);
        } else if (!throughput.has("NumberOfDecreasesToday")) {
          throughput.put("NumberOfDecreasesToday", 0);
        }
      });
    }
    // Likewise UpdateTable: DynamoDB answers UPDATING.
    if (step.operation().equals("UpdateTable") && body.get("TableDescription") instanceof ObjectNode d) {
      d.put("TableStatus", "UPDATING");
    }
    // DynamoDB Local returns ConsumedCapacity from some operations (DeleteItem) that did not ask
    // for it; DynamoDB returns it only with ReturnConsumedCapacity TOTAL or INDEXES.
    String asked = step.body() == null ? "NONE" : step.body().path("ReturnConsumedCapacity").asText("NONE");
    if (asked.equals("NONE")) {
      body.remove("ConsumedCapacity");
    }
    // DynamoDB Local charges 0 read units for a Query or Scan that read nothing; DynamoDB charges
    // the minimum read (0.5 eventually consistent, 1 strongly consistent), as it documents for
    // reads of items that do not exist.
    if ((step.operation().equals("Query") || step.operation().equals("Scan"))
        && body.get("ConsumedCapacity") instanceof ObjectNode capacity && capacity.path("CapacityUnits").asDouble() == 0.0) {
      double minimum = step.body().path("ConsistentRead").asBoolean(false) ? 1.0 : 0.5;
      capacity.put("CapacityUnits", minimum);
      if (capacity.get("Table") instanceof ObjectNode table) {
        table.put("CapacityUnits", minimum);
      }
    }
  }

  /**
   * Differences that depend on state DynamoDB Local does not keep, removed from both sides: the
   * capacity units of BatchWriteItem (DynamoDB Local charges more for some writes than DynamoDB's
   * documented per-item arithmetic, the larger of the old and new item per started kilobyte, which
   * Cairn follows) and NumberOfDecreasesToday (DynamoDB Local never counts decreases).
   */
  static void dropStatefulDeviations(Step step, JsonNode outcome) {
    if (outcome instanceof com.fasterxml.jackson.databind.node.ArrayNode pages && pages.size() > 0) {
      // DynamoDB stops at Limit without looking ahead, so the last page of a Query or Scan may
      // carry a LastEvaluatedKey and be followed by an empty page (the Query API reference: "If
      // LastEvaluatedKey is not empty, it does not necessarily mean that there is more data");
      // DynamoDB Local looks ahead. Trailing empty pages and the last page's key are not compared.
      while (pages.size() > 1 && isEmptyFinalPage(pages.get(pages.size() - 1))) {
        pages.remove(pages.size() - 1);
      }
      if (pages.get(pages.size() - 1).get("body") instanceof ObjectNode last) {
        last.remove("LastEvaluatedKey");
      }
    }
    if (outcome.isArray()) {
      outcome.forEach(page -> dropStatefulDeviations(step, page));
      return;
    }
    if (!(outcome.get("body") instanceof ObjectNode body)) {
      return;
    }
    // The order of per-table ConsumedCapacity entries in batch responses is unspecified.
    if (step.operation().startsWith("Batch") && body.get("ConsumedCapacity") instanceof com.fasterxml.jackson.databind.node.ArrayNode entries) {
      java.util.List<JsonNode> sorted = new java.util.ArrayList<>();
      entries.forEach(sorted::add);
      sorted.sort(java.util.Comparator.comparing(entry -> entry.path("TableName").asText()));
      entries.removeAll();
      sorted.forEach(entries::add);
    }
    if (step.operation().equals("BatchWriteItem") && body.get("ConsumedCapacity") instanceof com.fasterxml.jackson.databind.node.ArrayNode list) {
      list.forEach(entry -> {
        if (entry instanceof ObjectNode capacity) {
          capacity.remove("CapacityUnits");
          if (capacity.get("Table") instanceof ObjectNode table) {
            table.remove("CapacityUnits");
          }
        }
      });
    }
    for (String field : new String[] {"Table", "TableDescription"}) {
      if (body.get(field) instanceof ObjectNode table && table.get("ProvisionedThroughput") instanceof ObjectNode throughput) {
        throughput.remove("NumberOfDecreasesToday");
      }
    }
  }
}
