package io.cairn.protocol.http;

import io.cairn.core.error.ErrorType;
import io.cairn.protocol.metrics.CairnMeters;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * The front end's request meters ({@link CairnMeters#REQUESTS}, {@link CairnMeters#REQUEST_LATENCY}),
 * one set per operation, made on the operation's first request and kept: the request path does a
 * map lookup by the operation string it already has and an array read by error ordinal, never a
 * registry lookup with a fresh tag list.
 *
 * <p>Only names the service implements get their own series (at most {@link #OPERATIONS_MAX});
 * anything else a client writes in X-Amz-Target is counted as {@link CairnMeters#OPERATION_UNKNOWN},
 * so a client cannot create series.
 */
final class RequestMeters {
  /** Operations with their own series; a service implementing more shares "unknown" beyond it. */
  static final int OPERATIONS_MAX = 128;

  private static final ErrorType[] ERROR_TYPES = ErrorType.values();

  private final MeterRegistry registry;
  private final Clock clock;
  private final Predicate<String> implemented;
  private final ConcurrentHashMap<String, OperationMeters> byOperation = new ConcurrentHashMap<>();
  private final OperationMeters unknown;

  RequestMeters(MeterRegistry registry, Predicate<String> implemented) {
    this.registry = registry;
    this.clock = registry.config().clock();
    this.implemented = implemented;
    this.unknown = new OperationMeters(CairnMeters.OPERATION_UNKNOWN, false);
  }

  /** Now, on the registry's monotonic clock: the start of a request's latency. */
  long startNanos() {
    return clock.monotonicTime();
  }

  /** The meters of {@code operation} if the service implements it, else those of "unknown". */
  OperationMeters operation(String operation) {
    OperationMeters meters = byOperation.get(operation);
    if (meters != null) {
      return meters;
    }
    if (!implemented.test(operation) || byOperation.size() >= OPERATIONS_MAX) {
      return unknown;
    }
    return byOperation.computeIfAbsent(operation, name -> new OperationMeters(name, true));
  }

  OperationMeters unknown() {
    return unknown;
  }

  /** One operation's counters (ok, and one per error type as it first occurs) and its latency timer. */
  final class OperationMeters {
    private final String operation;
    private final Counter ok;
    private final Timer latency;
    private final AtomicReferenceArray<Counter> errors = new AtomicReferenceArray<>(ERROR_TYPES.length);

    private OperationMeters(String operation, boolean canSucceed) {
      this.operation = operation;
      // "unknown" never succeeds: no ok series and no latency for it.
      this.ok = canSucceed ? counter(CairnMeters.OUTCOME_OK, CairnMeters.CLASS_OK) : null;
      this.latency = canSucceed
          ? Timer.builder(CairnMeters.REQUEST_LATENCY)
              .description("Time from reading a request to handing its successful response to the connection")
              .tag(CairnMeters.TAG_OPERATION, operation)
              .publishPercentiles(CairnMeters.LATENCY_PERCENTILES)
              .percentilePrecision(CairnMeters.LATENCY_PERCENTILE_PRECISION)
              .register(registry)
          : null;
    }

    /** A successful response, {@code startNanos} from {@link RequestMeters#startNanos()}. */
    void succeeded(long startNanos) {
      if (ok == null) {
        throw new IllegalStateException("operation " + operation + " cannot succeed");
      }
      ok.increment();
      latency.record(clock.monotonicTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    void failed(ErrorType type) {
      int slot = type.ordinal();
      Counter counter = errors.get(slot);
      if (counter == null) {
        // Registering twice returns the same meter, so two threads racing here count into one.
        counter = counter(type.errorName(), CairnMeters.errorClass(type));
        errors.set(slot, counter);
      }
      counter.increment();
    }

    private Counter counter(String outcome, String errorClass) {
      return Counter.builder(CairnMeters.REQUESTS)
          .description("DynamoDB requests answered, by operation and outcome")
          .tag(CairnMeters.TAG_OPERATION, operation)
          .tag(CairnMeters.TAG_OUTCOME, outcome)
          .tag(CairnMeters.TAG_CLASS, errorClass)
          .register(registry);
    }
  }
}
