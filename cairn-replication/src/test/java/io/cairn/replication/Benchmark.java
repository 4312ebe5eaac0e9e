package io.cairn.replication;

import io.cairn.core.id.PartitionId;
import io.cairn.partition.WriteCommand;
import io.cairn.partition.WriteOutcome;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/** A closed-loop load: {@code inFlight} writes outstanding at all times, small items, distinct keys. */
final class Benchmark {
  private Benchmark() {}

  interface Writer {
    CompletableFuture<WriteOutcome> write(PartitionId partitionId, WriteCommand command);
  }

  static Writer writer(BiFunction<PartitionId, WriteCommand, CompletableFuture<WriteOutcome>> write) {
    return write::apply;
  }

  static String run(String name, PartitionClient client, PartitionId p, int inFlight, Duration warmUp, Duration measure)
      throws InterruptedException {
    return run(name, client::write, p, inFlight, warmUp, measure);
  }

  static String run(String name, Writer writer, PartitionId p, int inFlight, Duration warmUp, Duration measure)
      throws InterruptedException {
    phase(writer, p, inFlight, warmUp, null);
    long[] latencies = new long[2_000_000];
    AtomicInteger count = new AtomicInteger();
    long started = System.nanoTime();
    int errors = phase(writer, p, inFlight, measure, new Recorder(latencies, count));
    double seconds = (System.nanoTime() - started) / 1e9;
    int n = Math.min(count.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    return String.format("%s: %d writes in %.1f s = %.0f writes/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d errors",
        name, n, seconds, n / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99),
        n == 0 ? 0.0 : sorted[n - 1] / 1e6, errors);
  }

  private record Recorder(long[] latencies, AtomicInteger count) {
    void record(long nanos) {
      int i = count.getAndIncrement();
      if (i < latencies.length) {
        latencies[i] = nanos;
      }
    }
  }

  private static final AtomicLong KEYS = new AtomicLong();
  private static final java.util.concurrent.ExecutorService NEXT = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
    Thread thread = new Thread(r, "bench-loop");
    thread.setDaemon(true);
    return thread;
  });

  private static int phase(Writer writer, PartitionId p, int inFlight, Duration length, Recorder recorder)
      throws InterruptedException {
    long endNanos = System.nanoTime() + length.toNanos();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger errors = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(inFlight);
    for (int i = 0; i < inFlight; i++) {
      loop(writer, p, endNanos, recorder, errors, done);
    }
    done.await(length.toMillis() + 30_000, TimeUnit.MILLISECONDS);
    running.set(false);
    return errors.get();
  }

  private static void loop(Writer writer, PartitionId p, long endNanos, Recorder recorder, AtomicInteger errors,
      CountDownLatch done) {
    if (System.nanoTime() >= endNanos) {
      done.countDown();
      return;
    }
    long start = System.nanoTime();
    writer.write(p, Items.put("bench-" + KEYS.incrementAndGet(), start)).whenComplete((outcome, error) -> {
      if (error != null) {
        errors.incrementAndGet();
      } else if (recorder != null) {
        recorder.record(System.nanoTime() - start);
      }
      // Continue on another thread so that a completed future does not recurse without bound
      // (and not on the common pool, which Ratis uses).
      NEXT.execute(() -> loop(writer, p, endNanos, recorder, errors, done));
    });
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

}
