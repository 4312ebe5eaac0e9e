package io.cairn.it.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rewrites a DynamoDB Local response where DynamoDB Local is known to differ from DynamoDB's
 * documented behaviour, so that the differential test holds the target to DynamoDB, not to
 * DynamoDB Local's quirks (ARCHITECTURE.md: "follow DynamoDB's documentation"). Applied to every
 * DynamoDB Local outcome, on either side, so Local-vs-Local stays at zero differences. Each rule
 * names the deviation; keep this list in step with docs/compatibility.md.
 */
final class OracleCorrections {
  private OracleCorrections() {}

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
    }
    if (step.operation().equals("DeleteTable") && body.get("TableDescription") instanceof ObjectNode d) {
      d.put("TableStatus", "DELETING");
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
  }
}
