package io.cairn.metadata;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * {@link MetadataClient} that submits to this JVM's member directly, without gRPC: for
 * single-process mode (a one-member group, always its own leader once elected), as the Ratis probe
 * advised. Same state machine, same log, same replies as {@link RatisMetadataClient}.
 *
 * <p>A request this member cannot serve (not leader yet, e.g. right after start) is resubmitted
 * under the same client id and call id until the deadline, so the retry cache applies a write at
 * most once.
 */
public final class InProcessMetadataClient implements MetadataClient {
  private static final long RETRY_SLEEP_MS = 20;

  private final RaftServer server;
  private final RaftPeerId self;
  private final long requestTimeoutMs;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "metadata-inprocess-retry");
    t.setDaemon(true);
    return t;
  });

  InProcessMetadataClient(RaftServer server, RaftPeerId self, long requestTimeoutMs) {
    this.server = server;
    this.self = self;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  @Override
  public CompletableFuture<MetadataReply> write(MetadataCommand command) {
    return submit(MetadataCodec.encode(command), RaftClientRequest.writeRequestType());
  }

  @Override
  public CompletableFuture<MetadataReply> read(MetadataQuery query) {
    return submit(MetadataCodec.encode(query), RaftClientRequest.readRequestType());
  }

  private CompletableFuture<MetadataReply> submit(byte[] payload, RaftClientRequest.Type type) {
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setServerId(self)
        .setGroupId(MetadataGroup.GROUP_ID)
        .setCallId(callIds.incrementAndGet())
        .setMessage(Message.valueOf(ByteString.copyFrom(payload)))
        .setType(type)
        .build();
    CompletableFuture<MetadataReply> result = new CompletableFuture<>();
    attempt(request, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs), result);
    return result;
  }

  private void attempt(RaftClientRequest request, long deadlineNanos, CompletableFuture<MetadataReply> result) {
    CompletableFuture<RaftClientReply> call;
    try {
      call = server.submitClientRequestAsync(request);
    } catch (Exception e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete((reply, failure) -> {
      Throwable problem = failure != null ? failure : reply.isSuccess() ? null : reply.getException();
      if (problem == null) {
        try {
          result.complete(MetadataCodec.decodeReply(reply.getMessage().getContent().toByteArray()));
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      } else if (!result.isDone() && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_SLEEP_MS) < deadlineNanos) {
        retries.schedule(() -> attempt(request, deadlineNanos, result), RETRY_SLEEP_MS, TimeUnit.MILLISECONDS);
      } else {
        Throwable cause = problem instanceof CompletionException && problem.getCause() != null ? problem.getCause() : problem;
        result.completeExceptionally(new MetadataUnavailableException(
            "metadata service (in process): no answer within " + requestTimeoutMs + " ms, last: " + cause, cause));
      }
    });
  }

  @Override
  public long requestTimeoutMs() {
    return requestTimeoutMs;
  }

  @Override
  public void close() {
    retries.shutdownNow();
  }
}
