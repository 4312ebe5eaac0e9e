package io.cairn.metadata;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link MetadataClient} over a {@link MetadataState} in this JVM, without Ratis: for unit tests and
 * simulations of the layers above. Production single-process mode runs a one-member Ratis group
 * instead, so that it exercises the same code as a cluster.
 */
public final class LocalMetadataClient implements MetadataClient {
  private final MetadataState state = new MetadataState();
  private final LongAdder reads = new LongAdder();
  private final LongAdder writes = new LongAdder();

  @Override
  public synchronized CompletableFuture<MetadataReply> write(MetadataCommand command) {
    writes.increment();
    return CompletableFuture.completedFuture(state.apply(command));
  }

  @Override
  public synchronized CompletableFuture<MetadataReply> read(MetadataQuery query) {
    reads.increment();
    return CompletableFuture.completedFuture(state.query(query));
  }

  /** Reads that reached this service: the load a routing cache puts on it. */
  public long reads() {
    return reads.sum();
  }

  public long writes() {
    return writes.sum();
  }

  @Override
  public long requestTimeoutMs() {
    return 1000;
  }

  @Override
  public void close() {}
}
