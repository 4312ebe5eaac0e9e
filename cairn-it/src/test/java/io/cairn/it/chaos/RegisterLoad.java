package io.cairn.it.chaos;

import io.cairn.core.id.PartitionId;
import io.cairn.verify.ClientId;
import io.cairn.verify.Command;
import io.cairn.verify.History;
import io.cairn.verify.HistoryRecorder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Concurrent clients over a few keys through every router, each call recorded for the
 * linearizability checker: PutItem of a unique value, strongly consistent GetItem, and PutItem
 * conditioned on the value the client last saw (or on the item's absence). Besides, each client
 * inserts items under keys of its own, written once, to check afterwards that every acknowledged
 * one is still there.
 *
 * <p>How a reply is recorded: success and ConditionalCheckFailed complete the operation;
 * ServiceUnavailable and throttling errors promise nothing was applied, so the operation is left
 * out ({@link HistoryRecorder#fail}); an InternalServerError or a client-side timeout leaves it
 * uncompleted ("maybe": it may take effect at any later time or never), and the client goes on
 * under a new {@link ClientId}. Any other error is unexpected and reported by
 * {@link #unexpectedErrors()}.
 */
final class RegisterLoad implements AutoCloseable {
  static final String PK = "pk";
  static final String VALUE = "v";
  static final int INSERT_PERCENT = 10;
  static final int PUT_PERCENT = 40;
  static final int GET_PERCENT = 35;
  static final long STOP_WAIT_MS = 60_000;
  static final int UNEXPECTED_KEPT_MAX = 20;
  static final long FINAL_READ_RETRY_MS = 500;
  /**
   * {@code -Dcairn.chaos.eventualReads=true} sends the load's reads eventually consistent (any
   * replica) while still recording them as linearizable reads: a check of the check, which must
   * then fail with stale reads. The final reads stay strongly consistent.
   */
  static final boolean EVENTUAL_READS = Boolean.getBoolean("cairn.chaos.eventualReads");

  enum Kind { PUT, GET, CONDITIONAL_PUT, INSERT }

  enum Result {
    OK,
    CONDITION_FAILED,
    /** An error that promises the request had no effect. */
    FAILED,
    /** No answer, or one that leaves the outcome open. */
    UNKNOWN
  }

  /** One call as the client saw it; times are {@link System#nanoTime()}. */
  record Event(Kind kind, String key, PartitionId partition, int router, long invokedNanos, long completedNanos,
      Result result, String error) {
    boolean isWrite() {
      return kind != Kind.GET;
    }

    /** The request reached the partition's leader and it answered: the write was committed or judged. */
    boolean answeredByLeader() {
      return result == Result.OK || result == Result.CONDITION_FAILED;
    }
  }

  private final List<DynamoDbClient> routers;
  private final String table;
  private final List<String> keys;
  private final Function<String, PartitionId> partitionOf;
  private final int threads;
  private final long seed;
  private final HistoryRecorder recorder = new HistoryRecorder();
  private final AtomicInteger nextClient = new AtomicInteger();
  private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, String> insertedAcked = new ConcurrentHashMap<>();
  private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean running = new AtomicBoolean();
  private final List<Thread> workers = new ArrayList<>();

  RegisterLoad(List<DynamoDbClient> routers, String table, List<String> keys, Function<String, PartitionId> partitionOf,
      int threads, long seed) {
    this.routers = List.copyOf(routers);
    this.table = table;
    this.keys = List.copyOf(keys);
    this.partitionOf = partitionOf;
    this.threads = threads;
    this.seed = seed;
  }

  void start() {
    running.set(true);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker = new Thread(() -> run(thread), "chaos-client-" + t);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
  }

  /** Stops the clients; each finishes the call it is in (bounded by the SDK's call timeout). */
  void stop() throws InterruptedException {
    running.set(false);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MS);
    for (Thread worker : workers) {
      worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (worker.isAlive()) {
        throw new AssertionError(worker.getName() + " still in a call " + STOP_WAIT_MS + " ms after stop");
      }
    }
  }

  /**
   * Stops the clients if a test ends early (a failed step must not leave threads hammering a
   * stopped cluster for the rest of the test JVM); waits for them without failing.
   */
  @Override
  public void close() {
    running.set(false);
    for (Thread worker : workers) {
      try {
        worker.join(STOP_WAIT_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void run(int thread) {
    SplittableRandom random = new SplittableRandom(seed * 31 + thread);
    ClientId client = newClient();
    Map<String, Optional<String>> lastSeen = new HashMap<>();
    long seq = 0;
    while (running.get()) {
      seq++;
      String value = "t" + thread + "-" + seq;
      int router = random.nextInt(routers.size());
      int dice = random.nextInt(100);
      Result result;
      if (dice < INSERT_PERCENT) {
        result = insert("u-t" + thread + "-" + seq, value, router);
      } else {
        String key = keys.get(random.nextInt(keys.size()));
        if (dice < INSERT_PERCENT + PUT_PERCENT) {
          result = put(client, key, value, router);
          if (result == Result.OK) {
            lastSeen.put(key, Optional.of(value));
          }
        } else if (dice < INSERT_PERCENT + PUT_PERCENT + GET_PERCENT) {
          Optional<Optional<String>> seen = get(client, key, router);
          result = seen.isPresent() ? Result.OK : Result.UNKNOWN;
          seen.ifPresent(v -> lastSeen.put(key, v));
        } else {
          Optional<String> expected = lastSeen.getOrDefault(key, Optional.empty());
          result = conditionalPut(client, key, expected, value, router);
          if (result == Result.OK) {
            lastSeen.put(key, Optional.of(value));
          }
        }
      }
      if (result == Result.UNKNOWN) {
        // Its operation may still take effect: this client must not issue another under the same id.
        client = newClient();
      }
    }
  }

  private ClientId newClient() {
    return new ClientId(nextClient.getAndIncrement());
  }

  private Result put(ClientId client, String key, String value, int router) {
    int id = recorder.invoke(client, key, Command.put(value), System.nanoTime());
    long t0 = System.nanoTime();
    try {
      routers.get(router).putItem(b -> b.tableName(table).item(item(key, value)));
      long t1 = System.nanoTime();
      recorder.complete(id, t1);
      return event(Kind.PUT, key, router, t0, t1, Result.OK, "");
    } catch (RuntimeException e) {
      return failure(id, Kind.PUT, key, router, t0, e);
    }
  }

  /** The value seen (empty: no item), or empty when the read failed. */
  private Optional<Optional<String>> get(ClientId client, String key, int router) {
    return get(client, key, router, !EVENTUAL_READS);
  }

  private Optional<Optional<String>> get(ClientId client, String key, int router, boolean consistent) {
    int id = recorder.invoke(client, key, Command.getAbsent(), System.nanoTime());
    long t0 = System.nanoTime();
    try {
      GetItemResponse r = routers.get(router).getItem(b -> b.tableName(table).consistentRead(consistent)
          .key(Map.of(PK, AttributeValue.fromS(key))));
      long t1 = System.nanoTime();
      Optional<String> observed = r.hasItem() && !r.item().isEmpty()
          ? Optional.of(r.item().get(VALUE).s()) : Optional.empty();
      recorder.completeGet(id, observed, t1);
      event(Kind.GET, key, router, t0, t1, Result.OK, "");
      return Optional.of(observed);
    } catch (RuntimeException e) {
      failure(id, Kind.GET, key, router, t0, e);
      return Optional.empty();
    }
  }

  private Result conditionalPut(ClientId client, String key, Optional<String> expected, String value, int router) {
    int id = recorder.invoke(client, key,
        new Command.ConditionalPut(expected, Optional.of(value), Command.Outcome.UNKNOWN), System.nanoTime());
    long t0 = System.nanoTime();
    try {
      routers.get(router).putItem(b -> {
        b.tableName(table).item(item(key, value));
        if (expected.isPresent()) {
          b.conditionExpression("#v = :expected").expressionAttributeNames(Map.of("#v", VALUE))
              .expressionAttributeValues(Map.of(":expected", AttributeValue.fromS(expected.get())));
        } else {
          b.conditionExpression("attribute_not_exists(" + PK + ")");
        }
      });
      long t1 = System.nanoTime();
      recorder.completeConditional(id, true, t1);
      return event(Kind.CONDITIONAL_PUT, key, router, t0, t1, Result.OK, "");
    } catch (ConditionalCheckFailedException e) {
      long t1 = System.nanoTime();
      recorder.completeConditional(id, false, t1);
      return event(Kind.CONDITIONAL_PUT, key, router, t0, t1, Result.CONDITION_FAILED, "");
    } catch (RuntimeException e) {
      return failure(id, Kind.CONDITIONAL_PUT, key, router, t0, e);
    }
  }

  /** A write-once key, outside the history: acknowledged means it must be there at the end. */
  private Result insert(String key, String value, int router) {
    long t0 = System.nanoTime();
    try {
      routers.get(router).putItem(b -> b.tableName(table).item(item(key, value)));
      long t1 = System.nanoTime();
      insertedAcked.put(key, value);
      return event(Kind.INSERT, key, router, t0, t1, Result.OK, "");
    } catch (RuntimeException e) {
      Result result = classify(e);
      return event(Kind.INSERT, key, router, t0, System.nanoTime(), result, describe(e));
    }
  }

  private Result failure(int id, Kind kind, String key, int router, long t0, RuntimeException e) {
    long t1 = System.nanoTime();
    Result result = classify(e);
    if (result == Result.FAILED) {
      recorder.fail(id);
    }
    // UNKNOWN: left uncompleted in the recorder.
    return event(kind, key, router, t0, t1, result, describe(e));
  }

  private Result classify(RuntimeException e) {
    if (e instanceof DynamoDbException d && d.awsErrorDetails() != null) {
      String code = String.valueOf(d.awsErrorDetails().errorCode());
      int status = d.statusCode();
      if (status == 503 || code.equals("ThrottlingException") || code.equals("ProvisionedThroughputExceededException")
          || code.equals("RequestLimitExceeded")) {
        return Result.FAILED;
      }
      if (status >= 500) {
        return Result.UNKNOWN;
      }
    } else if (e instanceof SdkException && !(e instanceof DynamoDbException)) {
      return Result.UNKNOWN; // client-side: timeout, connection reset
    }
    if (unexpected.size() < UNEXPECTED_KEPT_MAX) {
      unexpected.add(describe(e));
    }
    return Result.UNKNOWN;
  }

  private static String describe(RuntimeException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    return e.getClass().getSimpleName() + ": " + (message.length() > 200 ? message.substring(0, 200) + "…" : message);
  }

  private Result event(Kind kind, String key, int router, long t0, long t1, Result result, String error) {
    events.add(new Event(kind, key, partitionOf.apply(key), router, t0, t1, result, error));
    return result;
  }

  private static Map<String, AttributeValue> item(String key, String value) {
    return Map.of(PK, AttributeValue.fromS(key), VALUE, AttributeValue.fromS(value));
  }

  /**
   * After {@link #stop}: one strongly consistent read of every key through router {@code router},
   * recorded in the history (retried on a fresh client, {@link #FINAL_READ_RETRY_MS} apart, until
   * one answers), so that a lost write
   * shows as a read the checker cannot place.
   */
  Map<String, Optional<String>> finalReads(int router, int attemptsMax) {
    Map<String, Optional<String>> values = new java.util.LinkedHashMap<>();
    for (String key : keys) {
      for (int attempt = 1; attempt <= attemptsMax && !values.containsKey(key); attempt++) {
        if (attempt > 1) {
          ChaosChecks.sleep(FINAL_READ_RETRY_MS); // e.g. a leadership transfer under way
        }
        get(newClient(), key, router, true).ifPresent(v -> values.put(key, v));
      }
      if (!values.containsKey(key)) {
        throw new AssertionError("the final read of " + key + " failed " + attemptsMax + " times: "
            + lastError(key));
      }
    }
    return values;
  }

  private String lastError(String key) {
    synchronized (events) {
      for (int i = events.size() - 1; i >= 0; i--) {
        if (events.get(i).key().equals(key) && !events.get(i).error().isEmpty()) {
          return events.get(i).error();
        }
      }
    }
    return "(no error recorded)";
  }

  History history() {
    return recorder.history();
  }

  List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** Write-once keys whose PutItem was acknowledged, with their values. */
  Map<String, String> insertedAcked() {
    return Map.copyOf(insertedAcked);
  }

  List<String> unexpectedErrors() {
    synchronized (unexpected) {
      return List.copyOf(unexpected);
    }
  }

  List<String> keys() {
    return keys;
  }

  /**
   * The calls that did not succeed, one line each with times relative to {@code originNanos}
   * (the fault), in invocation order, at most {@code max} lines.
   */
  String failures(long originNanos, int max) {
    List<Event> failed = events().stream().filter(e -> !e.answeredByLeader())
        .sorted(java.util.Comparator.comparingLong(Event::invokedNanos)).toList();
    StringBuilder out = new StringBuilder();
    for (Event e : failed.subList(0, Math.min(max, failed.size()))) {
      out.append(String.format("  %+7.2f s .. %+7.2f s  %-15s %-12s partition %d router-%d  %s  %s%n",
          (e.invokedNanos() - originNanos) / 1e9, (e.completedNanos() - originNanos) / 1e9, e.kind(), e.key(),
          e.partition().value(), e.router() + 1, e.result(), e.error()));
    }
    if (failed.size() > max) {
      out.append("  … and ").append(failed.size() - max).append(" more\n");
    }
    return out.toString();
  }

  /** Counts by kind and result, for the log. */
  String summary() {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    for (Event e : events()) {
      counts.merge(e.kind() + "/" + e.result(), 1, Integer::sum);
    }
    return events().size() + " calls " + counts;
  }
}
