package io.cairn.metadata;

import io.cairn.core.id.PartitionId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A router's routing cache in front of the metadata service, built as DynamoDB's MemDS lesson
 * says: <b>every</b> lookup, hit or miss, also sends one request to the metadata service, and the
 * answer refreshes the cache. The service therefore sees load proportional to this router's
 * traffic whatever the hit rate: a cold cache (router restart, mass invalidation) is not a surge,
 * and the "fallback" path is the path exercised all the time.
 *
 * <ul>
 *   <li>hit: answered from the cache at once; the request to the service goes out asynchronously;
 *   <li>miss: the lookup's own request is the one it waits on (up to {@code missTimeoutMs}) — no
 *       second request, so a cold cache never sends more requests than lookups;
 *   <li>bound: at most {@code inFlightMax} requests outstanding. When it is reached the newest
 *       request is dropped and counted (the outstanding ones already cost the service; cancelling
 *       them would not give the capacity back). A hit is still answered; a miss joins the request in
 *       flight for its key if there is one, otherwise fails fast with
 *       {@link MetadataUnavailableException}. Nothing ever blocks or queues on the request path.
 *   <li>{@link #invalidate} and {@link #reportStaleRoute}: drop the entry and send a refresh at once;
 *       answers to requests sent before the invalidation are not cached.
 * </ul>
 *
 * <p>Answers carry versions (the service's revision), so an older answer arriving after a newer one
 * never overwrites it.
 */
public final class RoutingCache implements AutoCloseable {
  private final MetadataClient service;
  private final RoutingCacheOptions options;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong requestSeq = new AtomicLong();
  private final Counters counters = new Counters();
  private final Lane<String, TableRecord> tables;
  private final Lane<PartitionId, PartitionReplicas> partitions;

  public RoutingCache(MetadataClient service, RoutingCacheOptions options) {
    this.service = service;
    this.options = options;
    this.tables = new Lane<>(
        name -> service.read(new MetadataQuery.GetTable(name)),
        TableRecord::version,
        reply -> switch (reply) {
          case MetadataReply.TableFound f -> new Answer<>(f.table(), f.revision());
          case MetadataReply.TableAbsent a -> new Answer<>(null, a.revision());
          default -> throw new IllegalStateException("unexpected reply to GetTable: " + reply);
        });
    this.partitions = new Lane<>(
        id -> service.read(new MetadataQuery.GetPartition(id)),
        PartitionReplicas::version,
        reply -> switch (reply) {
          case MetadataReply.PartitionFound f -> new Answer<>(f.partition(), f.revision());
          case MetadataReply.PartitionAbsent a -> new Answer<>(null, a.revision());
          default -> throw new IllegalStateException("unexpected reply to GetPartition: " + reply);
        });
  }

  /** The table (definition with its partition map), or empty if the service says it does not exist. */
  public CompletableFuture<Optional<TableRecord>> lookupTable(String name) {
    return tables.lookup(name);
  }

  /** Where a partition's replicas are, or empty if the service has no assignment for it. */
  public CompletableFuture<Optional<PartitionReplicas>> lookupPartition(PartitionId partitionId) {
    return partitions.lookup(partitionId);
  }

  /** Blocking form of {@link #lookupTable}: the table or null, waiting at most {@code missTimeoutMs}. */
  public TableRecord table(String name) {
    return await(lookupTable(name)).orElse(null);
  }

  /** Blocking form of {@link #lookupPartition}. */
  public PartitionReplicas partition(PartitionId partitionId) {
    return await(lookupPartition(partitionId)).orElse(null);
  }

  /** The table changed (this router changed it, or saw it changed): forget it and refresh now. */
  public void invalidate(String tableName) {
    tables.invalidate(tableName);
  }

  /** A storage node answered NotLeader or wrong-partition for this partition: refresh now. */
  public void reportStaleRoute(PartitionId partitionId) {
    partitions.invalidate(partitionId);
  }

  public RoutingCacheMetrics metrics() {
    return counters;
  }

  @Override
  public void close() {
    // The cache owns no threads; the MetadataClient is the caller's.
  }

  private <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(options.missTimeoutMs(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new MetadataUnavailableException("routing lookup: no answer within " + options.missTimeoutMs() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetadataUnavailableException("interrupted during routing lookup", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof MetadataUnavailableException u) {
        throw u;
      }
      throw new MetadataUnavailableException("routing lookup failed: " + e.getCause(), e.getCause());
    }
  }

  /** A service answer: the value (null if absent) and the revision it was read at. */
  private record Answer<V>(V value, long revision) {}

  /** A cached value and its version (the service revision of its last change). */
  private record Cached<V>(V value, long version) {}

  /** One kind of key (tables, partitions): its entries, its in-flight requests, its invalidations. */
  private final class Lane<K, V> {
    private final Function<K, CompletableFuture<MetadataReply>> fetch;
    private final java.util.function.ToLongFunction<V> versionOf;
    private final Function<MetadataReply, Answer<V>> decode;
    private final ConcurrentHashMap<K, Cached<V>> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<K, CompletableFuture<Answer<V>>> pending = new ConcurrentHashMap<>();
    /** Per key, the request sequence number at its last invalidation: older answers are not cached. */
    private final ConcurrentHashMap<K, Long> invalidatedAtSeq = new ConcurrentHashMap<>();

    Lane(Function<K, CompletableFuture<MetadataReply>> fetch, java.util.function.ToLongFunction<V> versionOf,
        Function<MetadataReply, Answer<V>> decode) {
      this.fetch = fetch;
      this.versionOf = versionOf;
      this.decode = decode;
    }

    CompletableFuture<Optional<V>> lookup(K key) {
      counters.lookups.increment();
      Cached<V> cached = entries.get(key);
      CompletableFuture<Answer<V>> request = send(key);
      if (cached != null) {
        counters.hits.increment();
        return CompletableFuture.completedFuture(Optional.of(cached.value()));
      }
      counters.misses.increment();
      if (request == null) {
        CompletableFuture<Answer<V>> inFlightForKey = pending.get(key);
        if (inFlightForKey == null) {
          counters.missesRejected.increment();
          return CompletableFuture.failedFuture(new MetadataUnavailableException(
              "routing cache: " + options.inFlightMax() + " metadata lookups in flight; miss for " + key + " not sent"));
        }
        counters.missesJoined.increment();
        request = inFlightForKey;
      }
      // The request itself times out after missTimeoutMs, so the miss needs no timer of its own.
      return request.thenApply(answer -> Optional.ofNullable(answer.value()));
    }

    void invalidate(K key) {
      counters.refreshes.increment();
      invalidatedAtSeq.put(key, requestSeq.get());
      entries.remove(key);
      send(key);
    }

    /** Sends one request for {@code key} unless the bound is reached; null when dropped. */
    private CompletableFuture<Answer<V>> send(K key) {
      if (inFlight.incrementAndGet() > options.inFlightMax()) {
        inFlight.decrementAndGet();
        counters.dropped.increment();
        return null;
      }
      counters.sent.increment();
      long seq = requestSeq.incrementAndGet();
      CompletableFuture<MetadataReply> call;
      try {
        call = fetch.apply(key);
      } catch (RuntimeException e) {
        call = CompletableFuture.failedFuture(e);
      }
      CompletableFuture<Answer<V>> answer = call.orTimeout(options.missTimeoutMs(), TimeUnit.MILLISECONDS)
          .handle((reply, failure) -> {
            inFlight.decrementAndGet();
            if (failure != null) {
              counters.failures.increment();
              throw failure instanceof MetadataUnavailableException u ? u
                  : new MetadataUnavailableException("routing lookup for " + key + " failed: " + failure, failure);
            }
            Answer<V> a = decode.apply(reply);
            apply(key, seq, a);
            return a;
          });
      pending.put(key, answer);
      answer.whenComplete((a, f) -> pending.remove(key, answer));
      return answer;
    }

    private void apply(K key, long seq, Answer<V> answer) {
      Long invalidated = invalidatedAtSeq.get(key);
      if (invalidated != null && seq <= invalidated) {
        return; // sent before the last invalidation: may predate the change that caused it
      }
      entries.compute(key, (k, current) -> {
        if (answer.value() == null) {
          // Absent at revision r: anything cached at a version <= r is gone.
          if (current != null && current.version() <= answer.revision()) {
            counters.updates.increment();
            return null;
          }
          return current;
        }
        long version = versionOf.applyAsLong(answer.value());
        if (current == null || current.version() < version) {
          counters.updates.increment();
          return new Cached<>(answer.value(), version);
        }
        return current;
      });
    }

    int size() {
      return entries.size();
    }
  }

  private final class Counters implements RoutingCacheMetrics {
    final LongAdder lookups = new LongAdder();
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder missesRejected = new LongAdder();
    final LongAdder missesJoined = new LongAdder();
    final LongAdder refreshes = new LongAdder();
    final LongAdder updates = new LongAdder();
    final LongAdder failures = new LongAdder();

    @Override public long lookups() { return lookups.sum(); }
    @Override public long hits() { return hits.sum(); }
    @Override public long misses() { return misses.sum(); }
    @Override public long asyncLookupsSent() { return sent.sum(); }
    @Override public long asyncLookupsDropped() { return dropped.sum(); }
    @Override public long missesRejected() { return missesRejected.sum(); }
    @Override public long missesJoined() { return missesJoined.sum(); }
    @Override public long refreshes() { return refreshes.sum(); }
    @Override public long updatesApplied() { return updates.sum(); }
    @Override public long failures() { return failures.sum(); }
    @Override public int inFlight() { return inFlight.get(); }
    @Override public int entries() { return tables.size() + partitions.size(); }
  }
}
