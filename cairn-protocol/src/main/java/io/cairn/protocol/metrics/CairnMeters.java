package io.cairn.protocol.metrics;

import io.cairn.core.error.ErrorType;
import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.regex.Pattern;

/**
 * The name of every meter Cairn exports, its tag keys and tag values, and the one way to make the
 * registry they live in. docs/metrics.md describes each meter for operators; keep the two in step.
 *
 * <p>Names are Micrometer's dotted form; the Prometheus registry writes {@code cairn.requests} as
 * {@code cairn_requests_total}, a timer as {@code <name>_seconds_*}. Tag values are always drawn
 * from bounded sets (operation names the service implements, {@link ErrorType} names), never
 * copied from a request, so a client cannot grow the number of series.
 *
 * <p>cairn-metadata sits below this module and cannot import this class; its binder
 * ({@code io.cairn.metadata.RoutingCacheMeters}) spells the {@code cairn.metadata.*} names below as
 * literals. Change them in both places.
 */
public final class CairnMeters {
  private CairnMeters() {}

  // ---- common tags, on every meter of a process ---------------------------------------------

  /** The operator-facing process name, e.g. {@code router-az1-1}; {@link #PROCESS_DEFAULT} for {@code cairn start}. */
  public static final String TAG_PROCESS = "process";
  /** What the process runs: {@code router}, {@code storage}, {@code metadata}, {@code endpoint}, or {@link #ROLE_ALL}. */
  public static final String TAG_ROLE = "role";

  public static final String PROCESS_DEFAULT = "cairn";
  /** The role of a single process that runs every role ({@code cairn start}). */
  public static final String ROLE_ALL = "all";

  // ---- the front end (cairn-protocol) -------------------------------------------------------

  /** Counter: DynamoDB requests answered, tagged {@link #TAG_OPERATION}, {@link #TAG_OUTCOME}, {@link #TAG_CLASS}. */
  public static final String REQUESTS = "cairn.requests";
  /** Timer: time to answer a successful request, tagged {@link #TAG_OPERATION}; p50, p99, p99.9 published. */
  public static final String REQUEST_LATENCY = "cairn.request.latency";

  /** The X-Amz-Target suffix (e.g. {@code PutItem}), or {@link #OPERATION_UNKNOWN}. */
  public static final String TAG_OPERATION = "operation";
  /** {@link #OUTCOME_OK} or the DynamoDB error name ({@link ErrorType#errorName()}, e.g. {@code ValidationException}). */
  public static final String TAG_OUTCOME = "outcome";
  /** {@link #CLASS_OK}, {@link #CLASS_CLIENT_ERROR}, {@link #CLASS_THROTTLED} or {@link #CLASS_SERVER_ERROR}. */
  public static final String TAG_CLASS = "class";

  /** Requests that named no operation this server implements, or could not be read far enough to tell. */
  public static final String OPERATION_UNKNOWN = "unknown";
  public static final String OUTCOME_OK = "ok";
  public static final String CLASS_OK = "ok";
  /** The request was wrong; retrying it unchanged fails again (4xx other than throttling). */
  public static final String CLASS_CLIENT_ERROR = "client_error";
  /** Refused for capacity; the client should back off and retry. */
  public static final String CLASS_THROTTLED = "throttled";
  /** Our fault or a transient condition (5xx): these spend the availability budget. */
  public static final String CLASS_SERVER_ERROR = "server_error";

  /** Client-side percentiles of {@link #REQUEST_LATENCY}: median, p99, p99.9. */
  public static final double[] LATENCY_PERCENTILES = {0.5, 0.99, 0.999};
  /** Significant decimal digits kept by the percentile histogram: 2 keeps the error near 1%. */
  public static final int LATENCY_PERCENTILE_PRECISION = 2;

  // ---- the routing cache (cairn-metadata, RoutingCacheMeters) -------------------------------

  /** FunctionCounter: routing-cache lookups, tagged {@link #TAG_RESULT} hit|miss. */
  public static final String METADATA_LOOKUPS = "cairn.metadata.lookups";
  /**
   * FunctionCounter: requests the routing cache meant to send to the metadata service, tagged
   * {@link #TAG_OUTCOME} sent|dropped. sent + dropped = lookups + refreshes, warm or cold.
   */
  public static final String METADATA_REQUESTS = "cairn.metadata.requests";
  /** FunctionCounter: sent metadata requests that failed or timed out (a subset of outcome=sent). */
  public static final String METADATA_REQUEST_FAILURES = "cairn.metadata.request.failures";
  /** FunctionCounter: immediate refreshes (invalidations and stale-route reports). */
  public static final String METADATA_REFRESHES = "cairn.metadata.refreshes";
  /** FunctionCounter: misses that found the in-flight bound reached, tagged {@link #TAG_OUTCOME} joined|rejected. */
  public static final String METADATA_MISSES_AT_BOUND = "cairn.metadata.misses.at_bound";
  /** FunctionCounter: answers that changed the routing cache. */
  public static final String METADATA_CACHE_UPDATES = "cairn.metadata.cache.updates";
  /** Gauge: metadata requests outstanding now. */
  public static final String METADATA_REQUESTS_IN_FLIGHT = "cairn.metadata.requests.in_flight";
  /** Gauge: tables and partitions cached now. */
  public static final String METADATA_CACHE_ENTRIES = "cairn.metadata.cache.entries";

  public static final String TAG_RESULT = "result";
  public static final String RESULT_HIT = "hit";
  public static final String RESULT_MISS = "miss";
  public static final String OUTCOME_SENT = "sent";
  public static final String OUTCOME_DROPPED = "dropped";
  public static final String OUTCOME_JOINED = "joined";
  public static final String OUTCOME_REJECTED = "rejected";

  // ---- secondary indexes (cairn-partition; registered by cairn-server) ----------------------

  /** Gauge: outbox records not yet applied to any GSI ({@code IndexPropagator.pendingRecords()}). */
  public static final String INDEX_PENDING_CHANGES = "cairn.index.pending_changes";
  /** FunctionCounter: outbox records applied to GSIs since start ({@code IndexPropagator.appliedRecords()}). */
  public static final String INDEX_APPLIED_CHANGES = "cairn.index.applied_changes";

  // ---- the registry --------------------------------------------------------------------------

  /** What {@code GET /metrics} answers with: the Prometheus text exposition format. */
  public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Pattern COMMON_TAG_VALUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** A Prometheus registry whose every meter carries {@code process} and {@code role}. */
  public static PrometheusMeterRegistry newRegistry(String process, String role) {
    return newRegistry(process, role, Clock.SYSTEM);
  }

  /** As {@link #newRegistry(String, String)}, with the clock timers and percentile windows read (tests). */
  public static PrometheusMeterRegistry newRegistry(String process, String role, Clock clock) {
    requireCommonTagValue(TAG_PROCESS, process);
    requireCommonTagValue(TAG_ROLE, role);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
    registry.config().commonTags(TAG_PROCESS, process, TAG_ROLE, role);
    return registry;
  }

  /** The {@link #TAG_CLASS} of an error: decides which alarm it feeds. */
  public static String errorClass(ErrorType type) {
    return switch (type) {
      case VALIDATION, SERIALIZATION, UNKNOWN_OPERATION, MISSING_AUTHENTICATION_TOKEN, INCOMPLETE_SIGNATURE,
          INVALID_SIGNATURE, UNRECOGNIZED_CLIENT, ACCESS_DENIED, REQUEST_ENTITY_TOO_LARGE, RESOURCE_NOT_FOUND,
          RESOURCE_IN_USE, CONDITIONAL_CHECK_FAILED, ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED, LIMIT_EXCEEDED,
          TRANSACTION_CANCELED, TRANSACTION_CONFLICT, IDEMPOTENT_PARAMETER_MISMATCH, TABLE_NOT_FOUND -> CLASS_CLIENT_ERROR;
      case PROVISIONED_THROUGHPUT_EXCEEDED, REQUEST_LIMIT_EXCEEDED, THROTTLING -> CLASS_THROTTLED;
      case INTERNAL_SERVER_ERROR, SERVICE_UNAVAILABLE -> CLASS_SERVER_ERROR;
    };
  }

  private static void requireCommonTagValue(String key, String value) {
    if (value == null || !COMMON_TAG_VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          key + " must be 1-64 characters of [A-Za-z0-9._-], starting with a letter or digit: " + value);
    }
  }
}
