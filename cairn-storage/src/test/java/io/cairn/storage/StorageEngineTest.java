package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.Invariants;
import io.cairn.core.id.LogIndex;
import io.cairn.core.value.AttributeValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageEngineTest {
  private static final KeyspaceId TABLE = new KeyspaceId(1);
  private static final KeyspaceId OTHER_TABLE = new KeyspaceId(2);
  private static final LogId LOG = new LogId(11);

  @TempDir Path dir;

  private static byte[] key(KeyspaceId keyspace, String pk, long sk) {
    return KeyCodec.itemKey(keyspace, AttributeValue.s(pk), AttributeValue.n(sk));
  }

  private static byte[] value(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static void put(StorageEngine engine, long index, byte[] key, String value) {
    try (StorageBatch batch = engine.newBatch()) {
      batch.put(key, value(value));
      engine.commit(batch, LOG, new LogIndex(index), Durability.PROCESS_CRASH_SAFE);
    }
  }

  @Test
  void dataAndAppliedIndexCommitTogetherAndSurviveReopen() {
    Path data = dir.resolve("db");
    try (StorageEngine engine = StorageEngine.open(data, StorageOptions.small())) {
      assertThat(engine.appliedIndex(LOG)).isEqualTo(LogIndex.NONE);
      put(engine, 1, key(TABLE, "a", 1), "one");
      put(engine, 2, key(TABLE, "a", 2), "two");
      assertThat(engine.appliedIndex(LOG)).isEqualTo(new LogIndex(2));
      engine.putMetadata("catalog/t1", value("schema"), Durability.FSYNC);
    }
    try (StorageEngine engine = StorageEngine.open(data, StorageOptions.small())) {
      assertThat(engine.appliedIndex(LOG)).isEqualTo(new LogIndex(2));
      assertThat(engine.appliedIndex(new LogId(12))).isEqualTo(LogIndex.NONE);
      assertThat(text(engine.get(key(TABLE, "a", 1)))).isEqualTo("one");
      assertThat(text(engine.get(key(TABLE, "a", 2)))).isEqualTo("two");
      assertThat(text(engine.getMetadata("catalog/t1"))).isEqualTo("schema");
      // The applied index keeps growing from where it was.
      assertThatThrownBy(() -> put(engine, 2, key(TABLE, "a", 3), "stale"))
          .isInstanceOf(Invariants.InvariantViolation.class);
      assertThat(engine.get(key(TABLE, "a", 3))).isNull();
      put(engine, 3, key(TABLE, "a", 3), "three");
    }
  }

  @Test
  void aRefusedCommitWritesNeitherDataNorIndex() {
    try (StorageEngine engine = StorageEngine.openInMemory(StorageOptions.small())) {
      put(engine, 5, key(TABLE, "a", 1), "five");
      assertThatThrownBy(() -> put(engine, 4, key(TABLE, "a", 2), "four"))
          .isInstanceOf(Invariants.InvariantViolation.class);
      assertThat(engine.get(key(TABLE, "a", 2))).isNull();
      assertThat(engine.appliedIndex(LOG)).isEqualTo(new LogIndex(5));
    }
  }

  @Test
  void batchesAreAtomicWithTheirIndexAcrossManyKeys() {
    try (StorageEngine engine = StorageEngine.open(dir.resolve("db"), StorageOptions.small())) {
      try (StorageBatch batch = engine.newBatch()) {
        for (int i = 0; i < 100; i++) {
          batch.put(key(TABLE, "p", i), value("v" + i));
        }
        batch.delete(key(TABLE, "p", 50));
        assertThat(engine.get(key(TABLE, "p", 0))).isNull(); // nothing visible before commit
        engine.commit(batch, LOG, new LogIndex(1), Durability.FSYNC);
      }
      assertThat(scan(engine, KeyCodec.partitionRange(TABLE, AttributeValue.s("p")), Direction.FORWARD))
          .hasSize(99);
    }
  }

  @Test
  void cursorsHonourBoundsInBothDirectionsFromMemtableAndFiles() {
    try (StorageEngine engine = StorageEngine.open(dir.resolve("db"), StorageOptions.small())) {
      long index = 0;
      for (String pk : List.of("a", "b", "c")) {
        for (int sk = -5; sk <= 5; sk++) {
          put(engine, ++index, key(TABLE, pk, sk), pk + sk);
          put(engine, ++index, key(OTHER_TABLE, pk, sk), "other");
        }
      }
      checkQueries(engine);
      engine.flushMemtables();
      checkQueries(engine);
      // The whole keyspace, in hash order, holds every item of the table and nothing else.
      assertThat(scan(engine, KeyCodec.keyspaceRange(TABLE), Direction.FORWARD)).hasSize(33);
      List<String> reverse = scan(engine, KeyCodec.keyspaceRange(TABLE), Direction.REVERSE);
      List<String> forward = scan(engine, KeyCodec.keyspaceRange(TABLE), Direction.FORWARD);
      assertThat(reverse).containsExactlyElementsOf(forward.reversed());
      // Segments of the hash space together hold the keyspace exactly once.
      List<String> segments = new ArrayList<>();
      for (int segment = 0; segment < 4; segment++) {
        segments.addAll(scan(engine, KeyCodec.hashRange(TABLE, HashRange.segment(segment, 4)), Direction.FORWARD));
      }
      assertThat(segments).containsExactlyElementsOf(forward);
      assertThat(engine.openCursorCount()).isZero();
    }
  }

  private static void checkQueries(StorageEngine engine) {
    AttributeValue pk = AttributeValue.s("b");
    Function<SortKeyCondition, KeyRange> range = c -> KeyCodec.sortKeyRange(TABLE, pk, c);
    assertThat(scan(engine, range.apply(new SortKeyCondition.Any()), Direction.FORWARD))
        .containsExactlyElementsOf(IntStream.rangeClosed(-5, 5).mapToObj(i -> "b" + i).toList());
    assertThat(scan(engine, range.apply(new SortKeyCondition.Any()), Direction.REVERSE))
        .containsExactlyElementsOf(IntStream.rangeClosed(-5, 5).map(i -> -i).mapToObj(i -> "b" + i).toList());
    assertThat(scan(engine, range.apply(new SortKeyCondition.Between(AttributeValue.n(-1), AttributeValue.n(2))), Direction.FORWARD))
        .containsExactly("b-1", "b0", "b1", "b2");
    assertThat(scan(engine, range.apply(new SortKeyCondition.Between(AttributeValue.n(-1), AttributeValue.n(2))), Direction.REVERSE))
        .containsExactly("b2", "b1", "b0", "b-1");
    assertThat(scan(engine, range.apply(new SortKeyCondition.Lt(AttributeValue.n(-3))), Direction.REVERSE))
        .containsExactly("b-4", "b-5");
    assertThat(scan(engine, range.apply(new SortKeyCondition.Gt(AttributeValue.n(3))), Direction.FORWARD))
        .containsExactly("b4", "b5");
    assertThat(scan(engine, range.apply(new SortKeyCondition.Eq(AttributeValue.n(0))), Direction.REVERSE))
        .containsExactly("b0");
    assertThat(scan(engine, range.apply(new SortKeyCondition.Eq(AttributeValue.n(9))), Direction.FORWARD))
        .isEmpty();
    // Resuming after the second item of a page gives the rest, in both directions.
    KeyRange all = range.apply(new SortKeyCondition.Any());
    byte[] second = key(TABLE, "b", -4);
    assertThat(scan(engine, all.resumeAfter(second, Direction.FORWARD), Direction.FORWARD)).hasSize(9);
    assertThat(scan(engine, all.resumeAfter(second, Direction.REVERSE), Direction.REVERSE))
        .containsExactly("b-5");
  }

  private static List<String> scan(StorageEngine engine, KeyRange range, Direction direction) {
    List<String> values = new ArrayList<>();
    try (Cursor cursor = engine.cursor(range, direction)) {
      while (cursor.next()) {
        assertThat(range.contains(cursor.key())).isTrue();
        values.add(text(cursor.value()));
      }
    }
    return values;
  }

  @Test
  void deleteRangeDropsATableAndLeavesItsNeighbours() throws Exception {
    try (StorageEngine engine = StorageEngine.open(dir.resolve("db"), StorageOptions.small())) {
      long index = 0;
      for (int i = 0; i < 500; i++) {
        put(engine, ++index, key(TABLE, "p" + i, i), "t" + i);
        put(engine, ++index, key(OTHER_TABLE, "p" + i, i), "o" + i);
      }
      engine.flushMemtables();
      engine.deleteRange(KeyCodec.keyspaceRange(TABLE), Durability.FSYNC, true).get();
      assertThat(scan(engine, KeyCodec.keyspaceRange(TABLE), Direction.FORWARD)).isEmpty();
      assertThat(scan(engine, KeyCodec.keyspaceRange(OTHER_TABLE), Direction.REVERSE)).hasSize(500);
      assertThat(engine.get(key(TABLE, "p7", 7))).isNull();
      assertThat(text(engine.get(key(OTHER_TABLE, "p7", 7)))).isEqualTo("o7");
      assertThat(engine.appliedIndex(LOG)).isEqualTo(new LogIndex(1000));
      // A delete range inside a log batch commits with its index like any other change.
      try (StorageBatch batch = engine.newBatch()) {
        batch.deleteRange(KeyCodec.partitionRange(OTHER_TABLE, AttributeValue.s("p7")));
        engine.commit(batch, LOG, new LogIndex(1001), Durability.PROCESS_CRASH_SAFE);
      }
      assertThat(engine.get(key(OTHER_TABLE, "p7", 7))).isNull();
      assertThat(scan(engine, KeyCodec.keyspaceRange(OTHER_TABLE), Direction.FORWARD)).hasSize(499);
    }
  }

  @Test
  void inMemoryEngineRunsTheSameCodePathAndForgetsOnClose() {
    try (StorageEngine engine = StorageEngine.openInMemory(StorageOptions.small())) {
      assertThat(engine.isInMemory()).isTrue();
      for (int i = 1; i <= 2000; i++) {
        put(engine, i, key(TABLE, "p" + (i % 10), i), "x".repeat(100));
      }
      engine.flushMemtables(); // SST files in the in-memory Env
      engine.flushWal(true);
      assertThat(scan(engine, KeyCodec.partitionRange(TABLE, AttributeValue.s("p3")), Direction.FORWARD)).hasSize(200);
      assertThat(engine.appliedIndex(LOG)).isEqualTo(new LogIndex(2000));
      assertThatThrownBy(() -> engine.checkpoint(dir.resolve("cp"))).isInstanceOf(UnsupportedOperationException.class);
    }
    try (StorageEngine fresh = StorageEngine.openInMemory(StorageOptions.small())) {
      assertThat(fresh.appliedIndex(LOG)).isEqualTo(LogIndex.NONE);
    }
  }

  @Test
  void metadataAreaListsByPrefixAndIsOutOfReachOfItemWrites() {
    try (StorageEngine engine = StorageEngine.openInMemory(StorageOptions.small())) {
      engine.putMetadata("table/b", value("2"), Durability.PROCESS_CRASH_SAFE);
      engine.putMetadata("table/a", value("1"), Durability.PROCESS_CRASH_SAFE);
      engine.putMetadata("node/id", value("n1"), Durability.PROCESS_CRASH_SAFE);
      assertThat(engine.listMetadata("table/").keySet()).containsExactly("table/a", "table/b");
      engine.deleteMetadata("table/a", Durability.PROCESS_CRASH_SAFE);
      assertThat(engine.listMetadata("").keySet()).containsExactly("node/id", "table/b");
      try (StorageBatch batch = engine.newBatch()) {
        assertThatThrownBy(() -> batch.put(SystemKeys.appliedIndexKey(LOG), value("x")))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> batch.put(new byte[] {1, 2}, value("x")))
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @Test
  void forgettingALogResetsItsAppliedIndex() {
    try (StorageEngine engine = StorageEngine.openInMemory(StorageOptions.small())) {
      put(engine, 7, key(TABLE, "a", 1), "x");
      try (StorageBatch batch = engine.newBatch()) {
        batch.deleteRange(KeyCodec.keyspaceRange(TABLE)).forgetAppliedIndex(LOG);
        engine.commit(batch, Durability.FSYNC);
      }
      assertThat(engine.appliedIndex(LOG)).isEqualTo(LogIndex.NONE);
      put(engine, 1, key(TABLE, "a", 1), "again");
      assertThat(engine.appliedIndex(LOG)).isEqualTo(new LogIndex(1));
    }
  }

  @Test
  void checkpointIsAConsistentOpenableCopy() {
    Path checkpoint = dir.resolve("checkpoint");
    try (StorageEngine engine = StorageEngine.open(dir.resolve("db"), StorageOptions.small())) {
      put(engine, 1, key(TABLE, "a", 1), "before");
      engine.checkpoint(checkpoint);
      put(engine, 2, key(TABLE, "a", 2), "after");
    }
    try (StorageEngine copy = StorageEngine.open(checkpoint, StorageOptions.small())) {
      assertThat(text(copy.get(key(TABLE, "a", 1)))).isEqualTo("before");
      assertThat(copy.get(key(TABLE, "a", 2))).isNull();
      assertThat(copy.appliedIndex(LOG)).isEqualTo(new LogIndex(1));
    }
  }

  @Test
  void closeReleasesLeftOpenCursorsAndRefusesFurtherUse() {
    StorageEngine engine = StorageEngine.openInMemory(StorageOptions.small());
    put(engine, 1, key(TABLE, "a", 1), "x");
    Cursor leaked = engine.cursor(KeyCodec.keyspaceRange(TABLE), Direction.FORWARD);
    assertThat(leaked.next()).isTrue();
    engine.close();
    assertThatThrownBy(leaked::next).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> engine.get(key(TABLE, "a", 1))).isInstanceOf(IllegalStateException.class);
    leaked.close();
    engine.close(); // idempotent
  }

  @Test
  void storedItemsDecodeBackToTheirKeys() {
    try (StorageEngine engine = StorageEngine.openInMemory(StorageOptions.small())) {
      Map<String, AttributeValue> item = Map.of("pk", AttributeValue.s("k"), "sk", AttributeValue.n(3), "v", AttributeValue.Bool.TRUE);
      byte[] itemKey = KeyCodec.itemKey(TABLE, AttributeValue.s("k"), AttributeValue.n(3));
      try (StorageBatch batch = engine.newBatch()) {
        batch.put(itemKey, ItemCodec.encode(item));
        engine.commit(batch, LOG, new LogIndex(1), Durability.PROCESS_CRASH_SAFE);
      }
      try (Cursor cursor = engine.cursor(KeyCodec.keyspaceRange(TABLE), Direction.FORWARD)) {
        assertThat(cursor.next()).isTrue();
        DecodedKey decoded = KeyCodec.decode(cursor.key());
        assertThat(decoded.partitionKey()).isEqualTo(AttributeValue.s("k"));
        assertThat(decoded.sortKey()).contains(AttributeValue.n(3));
        assertThat(ItemCodec.decode(cursor.value())).isEqualTo(item);
        assertThat(cursor.next()).isFalse();
      }
    }
  }

  @Test
  void defaultOptionsOpenAndLogsCommitConcurrently() throws Exception {
    try (StorageEngine engine = StorageEngine.open(dir.resolve("db"), StorageOptions.defaults())) {
      int logs = 4;
      int commitsPerLog = 500;
      List<Thread> threads = new ArrayList<>();
      for (int l = 0; l < logs; l++) {
        LogId logId = new LogId(100 + l);
        String pk = "log" + l;
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int i = 1; i <= commitsPerLog; i++) {
                        try (StorageBatch batch = engine.newBatch()) {
                          batch.put(key(TABLE, pk, i), value("v"));
                          engine.commit(batch, logId, new LogIndex(i), Durability.PROCESS_CRASH_SAFE);
                        }
                      }
                    }));
      }
      for (Thread thread : threads) {
        thread.join();
      }
      engine.flushWal(true);
      for (int l = 0; l < logs; l++) {
        assertThat(engine.appliedIndex(new LogId(100 + l))).isEqualTo(new LogIndex(commitsPerLog));
        assertThat(scan(engine, KeyCodec.partitionRange(TABLE, AttributeValue.s("log" + l)), Direction.FORWARD))
            .hasSize(commitsPerLog);
      }
    }
  }
}
