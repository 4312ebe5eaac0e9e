package io.cairn.metadata;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * {@link MetadataClient} over a Ratis client of the metadata group.
 *
 * <p>Leader changes: the Ratis client follows NotLeader replies to the suggested leader and retries
 * a failed call with a fixed sleep; the whole call is bounded by {@code requestTimeoutMs}. A write is
 * retried by Ratis under its original call id, so the leader's retry cache applies it at most once
 * even if the first attempt did reach the log; our code never resends a write under a new id.
 */
public final class RatisMetadataClient implements MetadataClient {
  /** Pause between Ratis's retries of one call (leader unknown, connection refused, ...). */
  public static final long RETRY_SLEEP_MS = 50;

  private final RaftClient client;
  private final long requestTimeoutMs;
  /** One daemon thread that only schedules read retries (the attempts run on Ratis's threads). */
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "metadata-client-retry");
    t.setDaemon(true);
    return t;
  });

  public RatisMetadataClient(List<MetadataPeer> peers, long requestTimeoutMs) {
    if (requestTimeoutMs < RETRY_SLEEP_MS) {
      throw new IllegalArgumentException("requestTimeoutMs must be at least " + RETRY_SLEEP_MS);
    }
    this.requestTimeoutMs = requestTimeoutMs;
    RaftProperties props = new RaftProperties();
    // One attempt may take up to a third of the deadline, so a dead leader costs at most that.
    RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(Math.max(100, requestTimeoutMs / 3), TimeUnit.MILLISECONDS));
    int attemptsMax = (int) Math.max(1, requestTimeoutMs / RETRY_SLEEP_MS);
    this.client = RaftClient.newBuilder()
        .setProperties(props)
        .setRaftGroup(MetadataGroup.group(peers))
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attemptsMax, TimeDuration.valueOf(RETRY_SLEEP_MS, TimeUnit.MILLISECONDS)))
        .build();
  }

  @Override
  public CompletableFuture<MetadataReply> write(MetadataCommand command) {
    Message message = Message.valueOf(ByteString.copyFrom(MetadataCodec.encode(command)));
    return finish(client.async().send(message));
  }

  /**
   * Reads are idempotent, so unlike writes they are also retried by us: a member that has just
   * started or lost its leader answers ReadIndex with "leader unknown", which Ratis does not retry.
   */
  @Override
  public CompletableFuture<MetadataReply> read(MetadataQuery query) {
    Message message = Message.valueOf(ByteString.copyFrom(MetadataCodec.encode(query)));
    CompletableFuture<MetadataReply> result = new CompletableFuture<>();
    readAttempt(message, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs), result);
    return result;
  }

  private void readAttempt(Message message, long deadlineNanos, CompletableFuture<MetadataReply> result) {
    long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    CompletableFuture<RaftClientReply> call;
    try {
      call = client.async().sendReadOnly(message);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.orTimeout(Math.max(1, remainingMs), TimeUnit.MILLISECONDS).whenComplete((reply, failure) -> {
      Throwable problem = failure != null ? failure : reply.isSuccess() ? null : reply.getException();
      if (problem == null) {
        try {
          result.complete(MetadataCodec.decodeReply(reply.getMessage().getContent().toByteArray()));
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
        return;
      }
      if (result.isDone()) {
        return; // the caller gave up (cancelled)
      }
      if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_SLEEP_MS) < deadlineNanos) {
        retries.schedule(() -> readAttempt(message, deadlineNanos, result), RETRY_SLEEP_MS, TimeUnit.MILLISECONDS);
        return;
      }
      Throwable cause = problem instanceof CompletionException && problem.getCause() != null ? problem.getCause() : problem;
      result.completeExceptionally(new MetadataUnavailableException(
          "metadata service: no answer within " + requestTimeoutMs + " ms, last: " + cause, cause));
    });
  }

  private CompletableFuture<MetadataReply> finish(CompletableFuture<RaftClientReply> call) {
    return call.orTimeout(requestTimeoutMs, TimeUnit.MILLISECONDS).handle((reply, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String why = cause instanceof TimeoutException ? "no answer within " + requestTimeoutMs + " ms" : cause.toString();
        throw new MetadataUnavailableException("metadata service: " + why, cause);
      }
      if (!reply.isSuccess()) {
        throw new MetadataUnavailableException("metadata service: " + reply.getException(), reply.getException());
      }
      return MetadataCodec.decodeReply(reply.getMessage().getContent().toByteArray());
    });
  }

  @Override
  public long requestTimeoutMs() {
    return requestTimeoutMs;
  }

  @Override
  public void close() {
    retries.shutdownNow();
    try {
      client.close();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
