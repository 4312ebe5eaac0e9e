package io.cairn.server.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.cairn.protocol.DynamoDbService;
import io.cairn.protocol.RequestContext;
import io.cairn.protocol.ServiceResponse;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a router's operations off the network threads. In a cluster an operation waits on remote
 * work (metadata lookups on a cache miss, reads from partition leaders), which must not stall a
 * Netty event loop shared by many connections. The pool and its queue are bounded; a request that
 * finds both full is refused with ThrottlingException (which SDKs retry with backoff) instead of
 * queueing without limit.
 */
final class OffloadingService implements DynamoDbService, AutoCloseable {
  private final DynamoDbService delegate;
  private final ThreadPoolExecutor executor;

  OffloadingService(DynamoDbService delegate, int threads, int queueDepthMax) {
    this.delegate = delegate;
    AtomicInteger ids = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queueDepthMax), r -> {
          Thread thread = new Thread(r, "cairn-router-worker-" + ids.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  @Override
  public boolean supports(String operation) {
    return delegate.supports(operation);
  }

  @Override
  public CompletionStage<ServiceResponse> call(String operation, ObjectNode request, RequestContext context) {
    try {
      return CompletableFuture.supplyAsync(() -> delegate.call(operation, request, context), executor)
          .thenCompose(stage -> stage);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new DynamoDbException(ErrorType.THROTTLING,
          "Rate of requests exceeds the router's capacity; retry with backoff"));
    }
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
