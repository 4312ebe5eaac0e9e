package io.cairn.partition;

import static io.cairn.core.value.AttributeValue.n;
import static io.cairn.core.value.AttributeValue.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.error.ErrorType;
import io.cairn.core.id.PartitionId;
import io.cairn.core.id.TableId;
import io.cairn.core.value.AttributeValue;
import io.cairn.partition.index.IndexCatalog;
import io.cairn.partition.index.IndexKeyAttribute;
import io.cairn.partition.index.IndexPartition;
import io.cairn.partition.index.IndexProjection;
import io.cairn.partition.index.IndexSpec;
import io.cairn.partition.index.TableIndexes;
import io.cairn.storage.Cursor;
import io.cairn.storage.Direction;
import io.cairn.storage.Durability;
import io.cairn.storage.ItemCodec;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyspaceId;
import io.cairn.storage.StorageEngine;
import io.cairn.storage.StorageOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The applier's index side and the propagator, without a router: LSI entries in the base batch,
 * GSI changes through the outbox, exactly once across a restart, item-collection limits.
 */
class IndexMaintenanceTest {
  static final KeyspaceId BASE = KeyspaceId.of(new TableId(1));
  static final KeyspaceId LOCAL = new KeyspaceId(2);
  static final KeyspaceId GLOBAL = new KeyspaceId(3);
  static final PartitionId PARTITION = new PartitionId(10);

  @TempDir Path dir;

  static IndexSpec local() {
    return new IndexSpec("byN", false, LOCAL, List.of(new IndexKeyAttribute("pk", "S")), List.of(new IndexKeyAttribute("n", "N")),
        "pk", "sk", IndexProjection.ALL, List.of());
  }

  static IndexSpec global() {
    return new IndexSpec("byColor", true, GLOBAL, List.of(new IndexKeyAttribute("color", "S")), List.of(), "pk", "sk",
        new IndexProjection(IndexProjection.Type.KEYS_ONLY, List.of()),
        List.of(new IndexPartition(new PartitionId(20), 0L, -1L)));
  }

  static IndexCatalog catalog(long collectionBytesMax) {
    TableIndexes indexes = new TableIndexes(List.of(local()), List.of(global()), collectionBytesMax);
    return new IndexCatalog() {
      @Override
      public TableIndexes indexesOf(KeyspaceId baseKeyspace) {
        return baseKeyspace.equals(BASE) ? indexes : null;
      }

      @Override
      public IndexSpec globalIndex(KeyspaceId indexKeyspace) {
        return indexKeyspace.equals(GLOBAL) ? global() : null;
      }
    };
  }

  static WriteCommand put(String sk, Long number, String color) {
    Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", s("p"), "sk", s(sk)));
    if (number != null) {
      item.put("n", n(number));
    }
    if (color != null) {
      item.put("color", s(color));
    }
    return new WriteCommand.Put(KeyCodec.itemKey(BASE, s("p"), s(sk)), Map.of("pk", s("p"), "sk", s(sk)), item, null,
        ReturnValues.NONE, false);
  }

  static List<Map<String, AttributeValue>> entries(StorageEngine engine, KeyspaceId keyspace) {
    List<Map<String, AttributeValue>> entries = new ArrayList<>();
    try (Cursor cursor = engine.cursor(KeyCodec.keyspaceRange(keyspace), Direction.FORWARD)) {
      while (cursor.next()) {
        entries.add(ItemCodec.decode(cursor.value()));
      }
    }
    return entries;
  }

  @Test
  void localEntriesMoveInTheBaseBatchAndGlobalOnesArriveThroughTheOutboxExactlyOnce() {
    try (StorageEngine engine = StorageEngine.open(dir, StorageOptions.small())) {
      List<Integer> signalled = new ArrayList<>();
      PartitionApplier applier = new PartitionApplier(engine, catalog(1L << 30), (p, records) -> signalled.add(records));
      PartitionApplier.Position position = applier.load(PARTITION);
      position = applier.apply(position, List.of(put("a", 3L, "red"), put("b", 1L, null), put("c", null, "blue")),
          Durability.PROCESS_CRASH_SAFE).position();
      // Moves a's LSI entry (n 3 -> 9) and GSI entry (red -> blue); deletes b.
      applier.apply(position, List.of(put("a", 9L, "blue"),
          new WriteCommand.Delete(KeyCodec.itemKey(BASE, s("p"), s("b")), Map.of("pk", s("p"), "sk", s("b")), null,
              ReturnValues.NONE, false)), Durability.PROCESS_CRASH_SAFE);
      assertThat(entries(engine, LOCAL)).extracting(e -> e.get("sk")).containsExactly(s("a"));
      assertThat(entries(engine, GLOBAL)).isEmpty(); // nothing propagated yet
      assertThat(signalled).containsExactly(2, 1); // one outbox record per write that changes a GSI
    }
    // A restart: the propagator resumes from the persisted outbox.
    try (StorageEngine engine = StorageEngine.open(dir, StorageOptions.small());
        IndexPropagator propagator = new IndexPropagator(engine, catalog(1L << 30), Durability.PROCESS_CRASH_SAFE, 1)) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (propagator.pendingRecords() > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(propagator.pendingRecords()).isZero();
      assertThat(entries(engine, GLOBAL)).containsExactlyInAnyOrder(
          Map.of("pk", s("p"), "sk", s("a"), "color", s("blue")), Map.of("pk", s("p"), "sk", s("c"), "color", s("blue")));
      assertThat(engine.listMetadata(Outbox.PREFIX)).isEmpty();
      assertThat(PartitionStats.decode(engine.getMetadata(PartitionApplier.STATS_PREFIX + 20)).itemCount()).isEqualTo(2);
      // Redelivering an already applied record changes nothing (the high-water mark).
      try (var batch = engine.newBatch()) {
        batch.putMetadata(Outbox.name(PARTITION, 1), Outbox.encode(List.of(new Outbox.Change(GLOBAL, null,
            global().entryOf(Map.of("pk", s("p"), "sk", s("z"), "color", s("red"))).key(), ItemCodec.encode(Map.of())))));
        engine.commit(batch, Durability.PROCESS_CRASH_SAFE);
      }
      propagator.written(PARTITION, 1);
      deadline = System.nanoTime() + 10_000_000_000L;
      while (propagator.pendingRecords() > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(entries(engine, GLOBAL)).hasSize(2);
    }
  }

  @Test
  void anItemCollectionPastItsLimitRefusesGrowthButNotShrinking() {
    try (StorageEngine engine = StorageEngine.openInMemory(StorageOptions.small())) {
      PartitionApplier applier = new PartitionApplier(engine, catalog(250), PartitionApplier.OutboxListener.NONE);
      PartitionApplier.Applied first = applier.apply(applier.load(PARTITION), List.of(put("a", 1L, null), put("b", 2L, null)),
          Durability.PROCESS_CRASH_SAFE);
      assertThat(first.outcomes()).allMatch(o -> o instanceof WriteOutcome.Applied);
      PartitionApplier.Applied third = applier.apply(first.position(), List.of(put("c", 3L, null)), Durability.PROCESS_CRASH_SAFE);
      assertThat(third.outcomes()).singleElement().satisfies(o -> assertThat(((WriteOutcome.Rejected) o).error().type())
          .isEqualTo(ErrorType.ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED));
      PartitionApplier.Applied shrink = applier.apply(third.position(), List.of(put("a", null, null)), Durability.PROCESS_CRASH_SAFE);
      assertThat(shrink.outcomes()).singleElement().isInstanceOf(WriteOutcome.Applied.class);
    }
  }

  /**
   * A dropped replica leaves nothing behind: items, LSI entries, applied index, statistics and
   * item collection sizes of its hash range go; another partition's stay. A replica of the same
   * partition created later starts at index 0.
   */
  @Test
  void forgettingAReplicaLeavesNothingOfItsHashRange() {
    try (StorageEngine engine = StorageEngine.openInMemory(StorageOptions.small())) {
      PartitionApplier applier = new PartitionApplier(engine, catalog(1L << 30), PartitionApplier.OutboxListener.NONE);
      PartitionApplier.Applied applied = applier.apply(applier.load(PARTITION),
          List.of(put("a", 1L, null), put("b", 2L, null)), Durability.PROCESS_CRASH_SAFE);
      assertThat(applied.position().appliedIndex()).isEqualTo(2);
      long hash = KeyCodec.hashPartitionKey(s("p"));
      io.cairn.storage.HashRange others = new io.cairn.storage.HashRange(hash + 1, hash + 1);
      try (io.cairn.storage.StorageBatch batch = engine.newBatch()) {
        PartitionApplier.forgetReplica(engine, batch, new PartitionId(11), BASE, others, List.of(LOCAL));
        engine.commit(batch, Durability.PROCESS_CRASH_SAFE);
      }
      assertThat(entries(engine, BASE)).hasSize(2);
      assertThat(entries(engine, LOCAL)).hasSize(2);
      assertThat(engine.listMetadata(IndexWrites.collectionPrefix(BASE))).hasSize(1);

      try (io.cairn.storage.StorageBatch batch = engine.newBatch()) {
        PartitionApplier.forgetReplica(engine, batch, PARTITION, BASE, new io.cairn.storage.HashRange(hash, hash),
            List.of(LOCAL));
        engine.commit(batch, Durability.PROCESS_CRASH_SAFE);
      }
      assertThat(entries(engine, BASE)).isEmpty();
      assertThat(entries(engine, LOCAL)).isEmpty();
      assertThat(engine.listMetadata(IndexWrites.collectionPrefix(BASE))).isEmpty();
      assertThat(engine.listMetadata(PartitionApplier.INDEX_STATS_PREFIX)).isEmpty();
      PartitionApplier.Position fresh = applier.load(PARTITION);
      assertThat(fresh.appliedIndex()).isZero();
      assertThat(fresh.stats().itemCount()).isZero();
    }
  }
}
