package io.cairn.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Lets a read wait until a replica's state machine has applied a log index. Advanced by the
 * division's updater thread after every entry; awaited by reads on Ratis's server threads.
 */
final class AppliedIndexGate {
  private record Waiter(long index, CompletableFuture<Void> ready) {}

  private static final CompletableFuture<Void> OPEN = CompletableFuture.completedFuture(null);

  private final PriorityQueue<Waiter> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.index(), b.index()));
  private long applied;

  /** Completes once {@code index} is applied: at once if it already is. */
  synchronized CompletableFuture<Void> await(long index) {
    if (index <= applied) {
      return OPEN;
    }
    Waiter waiter = new Waiter(index, new CompletableFuture<>());
    waiting.add(waiter);
    return waiter.ready();
  }

  /** Records that {@code index} is applied and releases the reads waiting for it or less. */
  void advance(long index) {
    List<Waiter> released = new ArrayList<>();
    synchronized (this) {
      applied = Math.max(applied, index);
      while (!waiting.isEmpty() && waiting.peek().index() <= applied) {
        released.add(waiting.poll());
      }
    }
    // Outside the lock: a released read may run its continuation on this thread.
    released.forEach(w -> w.ready().complete(null));
  }
}
