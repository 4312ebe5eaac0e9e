package io.cairn.metadata;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A metadata service fake for deterministic tests: reads are answered from a real
 * {@link MetadataState}, but only when the test calls {@link #answerAll} — so a test decides when
 * answers arrive, and counts exactly how many requests reached the service. Writes apply at once.
 */
final class ManualMetadataService implements MetadataClient {
  final MetadataState state = new MetadataState();
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private long reads;

  private record Pending(MetadataQuery query, CompletableFuture<MetadataReply> reply) {}

  @Override
  public synchronized CompletableFuture<MetadataReply> write(MetadataCommand command) {
    return CompletableFuture.completedFuture(state.apply(command));
  }

  @Override
  public synchronized CompletableFuture<MetadataReply> read(MetadataQuery query) {
    reads++;
    CompletableFuture<MetadataReply> reply = new CompletableFuture<>();
    pending.add(new Pending(query, reply));
    return reply;
  }

  /** Answers every outstanding read from the current state, in the order they were sent. */
  void answerAll() {
    while (true) {
      Pending p;
      MetadataReply reply;
      synchronized (this) {
        p = pending.poll();
        if (p == null) {
          return;
        }
        reply = state.query(p.query());
      }
      p.reply().complete(reply);
    }
  }

  synchronized long reads() {
    return reads;
  }

  synchronized int outstanding() {
    return pending.size();
  }

  @Override
  public long requestTimeoutMs() {
    return 60_000;
  }

  @Override
  public void close() {}
}
