package io.cairn.it.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.it.support.SignedJsonClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends each generated step to two endpoints and compares the normalised outcomes. A difference is
 * recorded with everything needed to understand and replay it; the run continues so one report
 * shows every divergence of the seed.
 */
public final class DifferentialRunner {
  /** Pages followed per query or segment; tables stay under ~300 items, so Limit 1 fits. */
  static final int PAGES_MAX = 1000;
  /** Requests and outcomes longer than this (400 KB items) are cut in reports. */
  static final int RENDERED_CHARS_MAX = 20_000;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

  /** One divergence: the step, both normalised outcomes, and how to replay it. */
  public record Difference(long seed, Step step, String nameA, JsonNode outcomeA, String nameB, JsonNode outcomeB) {
    public String render() {
      String request = step.rawBody() != null ? step.rawBody() : Normalizer.pretty(step.body());
      if (request.length() > RENDERED_CHARS_MAX) {
        request = request.substring(0, RENDERED_CHARS_MAX) + "… (" + request.length() + " chars)";
      }
      return "=== difference at step " + step.index() + " (" + step.label() + "), seed " + seed
          + " — replay with -Dcairn.diff.seed=" + seed + " -Dcairn.diff.ops=" + (step.index() + 1) + "\n"
          + "--- first divergence: " + firstDivergence(outcomeA, outcomeB, "") + "\n"
          + "--- request: " + step.operation() + " (" + step.mode() + ")\n" + request + "\n"
          + "--- " + nameA + ":\n" + truncate(Normalizer.pretty(outcomeA)) + "\n"
          + "--- " + nameB + ":\n" + truncate(Normalizer.pretty(outcomeB)) + "\n";
    }

    /** The JSON pointer of the first place the two outcomes differ, with both values there. */
    static String firstDivergence(JsonNode a, JsonNode b, String path) {
      if (a != null && b != null && a.isObject() && b.isObject()) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
          if (!java.util.Objects.equals(a.get(name), b.get(name))) {
            return firstDivergence(a.get(name), b.get(name), path + "/" + name);
          }
        }
      } else if (a != null && b != null && a.isArray() && b.isArray()) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
          if (!a.get(i).equals(b.get(i))) {
            return firstDivergence(a.get(i), b.get(i), path + "/" + i);
          }
        }
        return (path.isEmpty() ? "/" : path) + ": " + a.size() + " elements vs " + b.size();
      }
      return (path.isEmpty() ? "/" : path) + ": " + brief(a) + " vs " + brief(b);
    }

    private static String brief(JsonNode node) {
      String text = node == null ? "(absent)" : node.toString();
      return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static String truncate(String s) {
      return s.length() > RENDERED_CHARS_MAX ? s.substring(0, RENDERED_CHARS_MAX) + "… (" + s.length() + " chars)" : s;
    }
  }

  private final SignedJsonClient clientA;
  private final SignedJsonClient clientB;
  private final String nameA;
  private final String nameB;
  private final Normalizer normalizer;
  private final boolean correctA;
  private final boolean correctB;
  /** label → outcome (HTTP status and error type) → count, from the oracle's side. */
  private final java.util.SortedMap<String, java.util.SortedMap<String, Integer>> outcomes = new java.util.TreeMap<>();

  /** Side names starting with "dynamodb-local" get {@link OracleCorrections}. */
  private Runnable settleA = () -> {};
  private Runnable settleB = () -> {};
  private boolean globalIndexes = true;

  /** Generates tables without GSIs, for a target that refuses them (a cluster, today). */
  public DifferentialRunner withoutGlobalIndexes() {
    this.globalIndexes = false;
    return this;
  }

  /**
   * Side B sends a request again, up to {@link #UNAVAILABLE_RETRIES_MAX} times, when it answers 503
   * ServiceUnavailableException, as every AWS SDK does: a cluster says so when a partition has no
   * ready leader (an election, a leadership transfer), and the request was certainly not applied.
   * A BatchWriteItem that returns UnprocessedItems is sent again the same way (see
   * {@link #hasUnprocessedItems}).
   * InternalServerError (outcome unknown) is never retried: it stays a difference.
   */
  public DifferentialRunner retryingUnavailableOnB() {
    this.retryUnavailableB = true;
    return this;
  }

  /**
   * Side B replicates: an eventually consistent read (GetItem, BatchGetItem, Query, Scan without
   * ConsistentRead=true) may be served by a replica a few milliseconds behind the last
   * acknowledged write, which DynamoDB allows. When such a read differs, it is read again, up to
   * {@link #EVENTUAL_REREADS_MAX} times, before it counts as a difference; writes never are.
   * Implies {@link #retryingUnavailableOnB()}.
   */
  public DifferentialRunner replicatedB() {
    this.replicatedB = true;
    this.retryUnavailableB = true;
    return this;
  }

  /** Eventually consistent reads of side B that were read again before they matched (or not). */
  public int eventualRereads() {
    return eventualRereads;
  }

  static final int EVENTUAL_REREADS_MAX = 10;
  static final long EVENTUAL_REREAD_PAUSE_MS = 50;
  private boolean replicatedB;
  private int eventualRereads;

  private static final java.util.Set<String> READS = java.util.Set.of("GetItem", "BatchGetItem", "Query", "Scan");

  static boolean eventuallyConsistentRead(Step step) {
    if (!READS.contains(step.operation()) || step.body() == null) {
      return false;
    }
    if (step.operation().equals("BatchGetItem")) {
      // Consistent per table: eventually consistent if any table asks for it.
      java.util.Iterator<JsonNode> tables = step.body().path("RequestItems").elements();
      while (tables.hasNext()) {
        if (!tables.next().path("ConsistentRead").asBoolean(false)) {
          return true;
        }
      }
      return false;
    }
    return !step.body().path("ConsistentRead").asBoolean(false);
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Requests side B answered with 503 and that were sent again. */
  public int unavailableRetries() {
    return unavailableRetries;
  }

  static final int UNAVAILABLE_RETRIES_MAX = 5;
  static final long UNAVAILABLE_BACKOFF_MS = 100;
  private boolean retryUnavailableB;
  private int unavailableRetries;

  /** Waits run before every index read, so eventually consistent GSIs are compared once caught up. */
  public DifferentialRunner withIndexSettling(Runnable a, Runnable b) {
    this.settleA = a;
    this.settleB = b;
    return this;
  }

  public DifferentialRunner(SignedJsonClient clientA, String nameA, SignedJsonClient clientB, String nameB, Normalizer normalizer) {
    this.correctA = nameA.startsWith("dynamodb-local");
    this.correctB = nameB.startsWith("dynamodb-local");
    this.clientA = clientA;
    this.clientB = clientB;
    this.nameA = nameA;
    this.nameB = nameB;
    this.normalizer = normalizer;
  }

  /**
   * Whether a step's answer depends on GSIs having caught up: reads of an index, and every
   * operation that answers with a table description (which carries each index's ItemCount and
   * IndexSizeBytes). GSIs are fed asynchronously, so both sides settle before such a step.
   */
  static boolean readsIndexes(Step step) {
    if (step.body() != null && step.body().has("IndexName")) {
      return true;
    }
    return switch (step.operation()) {
      case "DescribeTable", "DeleteTable", "UpdateTable" -> true;
      default -> false;
    };
  }

  /** Runs {@code ops} steps of the generator seeded with {@code seed}; returns every difference. */
  public List<Difference> run(long seed, int ops) {
    RequestGenerator generator = new RequestGenerator(seed, globalIndexes);
    List<Difference> differences = new ArrayList<>();
    for (int i = 0; i < ops; i++) {
      Step step = generator.next();
      if (readsIndexes(step)) {
        settleA.run();
        settleB.run();
      }
      JsonNode a = execute(clientA, step);
      JsonNode b = execute(clientB, step);
      if (correctA) {
        OracleCorrections.apply(step, a);
      }
      if (correctB) {
        OracleCorrections.apply(step, b);
      }
      OracleCorrections.dropStatefulDeviations(step, a);
      OracleCorrections.dropStatefulDeviations(step, b);
      outcomes.computeIfAbsent(step.label(), k -> new java.util.TreeMap<>()).merge(outcomeName(a), 1, Integer::sum);
      for (int reread = 1; replicatedB && reread <= EVENTUAL_REREADS_MAX && eventuallyConsistentRead(step)
          && !Normalizer.canonical(a).equals(Normalizer.canonical(b)); reread++) {
        pause(EVENTUAL_REREAD_PAUSE_MS);
        eventualRereads++;
        b = execute(clientB, step);
        OracleCorrections.dropStatefulDeviations(step, b);
      }
      if (!Normalizer.canonical(a).equals(Normalizer.canonical(b))) {
        differences.add(new Difference(seed, step, nameA, a, nameB, b));
      }
    }
    return differences;
  }

  private static String outcomeName(JsonNode outcome) {
    JsonNode first = outcome.isArray() ? outcome.get(outcome.size() - 1) : outcome;
    String type = first.path("body").path("__type").asText("");
    return first.path("status").asInt() + (type.isEmpty() ? "" : " " + type);
  }

  /** What the oracle answered, per kind of step: shows the generator hits what it means to. */
  public String outcomeSummary() {
    StringBuilder out = new StringBuilder();
    outcomes.forEach((label, counts) -> out.append(String.format("  %-36s %s%n", label, counts)));
    return out.toString();
  }

  JsonNode execute(SignedJsonClient client, Step step) {
    return switch (step.mode()) {
      case SINGLE -> send(client, step.operation(), step.bodyText());
      case QUERY_ALL_PAGES -> queryAllPages(client, step);
      case SCAN_ALL_PAGES -> scanAllPages(client, step);
    };
  }

  private ObjectNode send(SignedJsonClient client, String operation, String body) {
    SignedJsonClient.Response response = client.call(operation, body);
    for (int retry = 1; retryUnavailableB && client == clientB && retry <= UNAVAILABLE_RETRIES_MAX
        && (response.status() == 503 && response.body().contains("ServiceUnavailableException")
            || hasUnprocessedItems(operation, response)); retry++) {
      unavailableRetries++;
      pause(UNAVAILABLE_BACKOFF_MS * retry);
      response = client.call(operation, body);
    }
    return normalizer.response(response.status(), response.body());
  }

  /**
   * A BatchWriteItem answered with UnprocessedItems (a partition that could not take its writes,
   * as DynamoDB answers): sent again whole, which a batch's unconditional puts and deletes allow
   * and which leaves the same items as an application resending the unprocessed part; counted
   * with the 503s.
   */
  private static boolean hasUnprocessedItems(String operation, SignedJsonClient.Response response) {
    if (!operation.equals("BatchWriteItem") || response.status() != 200) {
      return false;
    }
    try {
      return !MAPPER.readTree(response.body()).path("UnprocessedItems").isEmpty();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return false;
    }
  }

  /** Every page in order; a Query's order is defined (sort key), so pages must match exactly. */
  private JsonNode queryAllPages(SignedJsonClient client, Step step) {
    ArrayNode pages = JSON.arrayNode();
    ObjectNode request = step.body().deepCopy();
    for (int page = 0; ; page++) {
      if (page == PAGES_MAX) {
        throw new IllegalStateException("step " + step.index() + ": query still paging after " + PAGES_MAX + " pages");
      }
      ObjectNode outcome = send(client, step.operation(), request.toString());
      pages.add(outcome);
      JsonNode lastKey = outcome.path("body").get("LastEvaluatedKey");
      if (outcome.get("status").asInt() != 200 || lastKey == null) {
        break;
      }
      request.set("ExclusiveStartKey", lastKey);
    }
    return pages;
  }

  /**
   * All segments to the end; the result is the sorted union of items and the summed counts. Item
   * order and the assignment of items to segments and pages are the implementation's choice.
   */
  private JsonNode scanAllPages(SignedJsonClient client, Step step) {
    int segments = step.body().path("TotalSegments").asInt(0);
    ArrayNode items = JSON.arrayNode();
    long count = 0;
    long scannedCount = 0;
    int pagesLimited = 0;
    for (int segment = 0; segment < Math.max(1, segments); segment++) {
      ObjectNode request = step.body().deepCopy();
      if (segments > 0) {
        request.put("Segment", segment);
      }
      for (int page = 0; ; page++) {
        if (page == PAGES_MAX) {
          throw new IllegalStateException("step " + step.index() + ": segment " + segment + " still paging after " + PAGES_MAX + " pages");
        }
        ObjectNode outcome = send(client, step.operation(), request.toString());
        if (outcome.get("status").asInt() != 200) {
          return outcome.put("failedSegment", segment);
        }
        JsonNode body = outcome.get("body");
        body.path("Items").forEach(items::add);
        count += body.path("Count").asLong();
        scannedCount += body.path("ScannedCount").asLong();
        JsonNode lastKey = body.get("LastEvaluatedKey");
        if (lastKey == null) {
          break;
        }
        pagesLimited++;
        request.set("ExclusiveStartKey", lastKey);
      }
    }
    Normalizer.sortArray(items);
    ObjectNode result = JSON.objectNode().put("status", 200).put("Count", count).put("ScannedCount", scannedCount);
    result.set("Items", items);
    // With a Limit the number of pages depends only on how many items there are; without one,
    // every table here fits in one page. Either way it must match.
    result.put("pagesWithLastEvaluatedKey", segments > 1 ? -1 : pagesLimited);
    return result;
  }
}
