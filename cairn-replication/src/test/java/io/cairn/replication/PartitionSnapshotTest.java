package io.cairn.replication;

import static io.cairn.core.value.AttributeValue.n;
import static io.cairn.core.value.AttributeValue.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.Invariants;
import io.cairn.core.id.PartitionId;
import io.cairn.core.value.AttributeValue;
import io.cairn.partition.PartitionApplier;
import io.cairn.partition.ReplicaContents;
import io.cairn.partition.ReturnValues;
import io.cairn.partition.WriteCommand;
import io.cairn.partition.index.IndexCatalog;
import io.cairn.partition.index.IndexKeyAttribute;
import io.cairn.partition.index.IndexProjection;
import io.cairn.partition.index.IndexSpec;
import io.cairn.partition.index.TableIndexes;
import io.cairn.storage.Durability;
import io.cairn.storage.HashRange;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyRange;
import io.cairn.storage.KeyspaceId;
import io.cairn.storage.LogId;
import io.cairn.storage.StorageEngine;
import io.cairn.storage.StorageOptions;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot file between two engines, without Ratis: what one replica writes another installs
 * byte for byte, in the table's range and in its LSI's, over whatever it held there before, and
 * nothing outside them. One table with one LSI and two partitions (the two halves of its hashes)
 * on both engines.
 */
class PartitionSnapshotTest {
  static final KeyspaceId TABLE = new KeyspaceId(51);
  static final KeyspaceId LSI = new KeyspaceId(53);
  static final PartitionId LOW = new PartitionId(51);
  static final PartitionId HIGH = new PartitionId(52);
  static final KeyRange LOW_RANGE = KeyCodec.hashRange(TABLE, HashRange.segment(0, 2));
  static final KeyRange HIGH_RANGE = KeyCodec.hashRange(TABLE, HashRange.segment(1, 2));

  @TempDir Path dir;
  StorageEngine source;
  StorageEngine target;
  PartitionApplier sourceApplier;
  PartitionApplier targetApplier;

  static IndexCatalog catalog() {
    IndexSpec byRank = new IndexSpec("byRank", false, LSI, List.of(new IndexKeyAttribute("pk", "S")),
        List.of(new IndexKeyAttribute("rank", "N")), "pk", "sk", IndexProjection.ALL, List.of());
    TableIndexes indexes = new TableIndexes(List.of(byRank), List.of(), 10L << 20);
    return new IndexCatalog() {
      @Override
      public TableIndexes indexesOf(KeyspaceId baseKeyspace) {
        return baseKeyspace.equals(TABLE) ? indexes : null;
      }

      @Override
      public IndexSpec globalIndex(KeyspaceId indexKeyspace) {
        return null;
      }
    };
  }

  @BeforeEach
  void openEngines() {
    source = StorageEngine.open(dir.resolve("source"), StorageOptions.small());
    target = StorageEngine.open(dir.resolve("target"), StorageOptions.small());
    sourceApplier = new PartitionApplier(source, catalog(), PartitionApplier.OutboxListener.NONE);
    targetApplier = new PartitionApplier(target, catalog(), PartitionApplier.OutboxListener.NONE);
  }

  @AfterEach
  void closeEngines() {
    source.close();
    target.close();
  }

  @Test
  void an_installed_snapshot_holds_the_sources_table_and_lsi_keys_and_records_and_no_stale_ones() throws IOException {
    // The target holds an older state of LOW: other ranks (LSI entries the source moved), items
    // the source deleted, collections the source no longer has; and HIGH, which is not touched.
    writeItems(targetApplier, "old", 0, 30);
    writeItems(sourceApplier, "old", 1_000, 30);
    deleteSome(sourceApplier, "old", 30);
    writeItems(sourceApplier, "new", 2_000, 20);
    List<String> highBefore = everyRow(target, HIGH);
    Map<String, String> highRecordsBefore = SnapshotLocalIndexTest.records(target, contents(HIGH));

    long index = source.appliedIndex(LogId.of(LOW)).value();
    Path file = dir.resolve("snapshot");
    PartitionSnapshot.Counts written = PartitionSnapshot.write(file, source, contents(LOW), index,
        sourceApplier.load(LOW).stats());
    assertThat(written.tableKeys()).isEqualTo(sourceApplier.load(LOW).stats().itemCount());
    assertThat(written.indexKeys()).isPositive();
    assertThat(written.records()).isPositive();
    assertThat(index).isGreaterThan(target.appliedIndex(LogId.of(LOW)).value());

    PartitionSnapshot.Installed installed = PartitionSnapshot.install(file, target, LOW_RANGE, LOW, index);

    assertThat(installed.version()).isEqualTo(PartitionSnapshot.VERSION_WITH_LOCAL_INDEXES);
    assertThat(installed.localIndexes()).containsExactly(LSI);
    assertThat(installed.counts()).isEqualTo(written);
    for (KeyRange range : contents(LOW).keyRanges()) {
      assertThat(SnapshotLocalIndexTest.rows(target, range)).as("keys in %s", range)
          .isEqualTo(SnapshotLocalIndexTest.rows(source, range));
    }
    assertThat(SnapshotLocalIndexTest.records(target, contents(LOW)))
        .isEqualTo(SnapshotLocalIndexTest.records(source, contents(LOW)));
    assertThat(target.appliedIndex(LogId.of(LOW)).value()).isEqualTo(index);
    assertThat(targetApplier.load(LOW).stats()).isEqualTo(sourceApplier.load(LOW).stats());
    assertThat(everyRow(target, HIGH)).isEqualTo(highBefore);
    assertThat(SnapshotLocalIndexTest.records(target, contents(HIGH))).isEqualTo(highRecordsBefore);

    // The next entry applies on the installed replica as on the source.
    WriteCommand next = put("old-" + firstKey(LOW, "old", 30), "s0", 5);
    PartitionApplier.Position sourceAt = sourceApplier.apply(sourceApplier.load(LOW), List.of(next),
        Durability.PROCESS_CRASH_SAFE).position();
    PartitionApplier.Position targetAt = targetApplier.apply(targetApplier.load(LOW), List.of(next),
        Durability.PROCESS_CRASH_SAFE).position();
    assertThat(targetAt).isEqualTo(sourceAt);
    for (KeyRange range : contents(LOW).keyRanges()) {
      assertThat(SnapshotLocalIndexTest.rows(target, range)).isEqualTo(SnapshotLocalIndexTest.rows(source, range));
    }
  }

  /** Files written before LSIs were carried still install, as they did: the table's keys only. */
  @Test
  void a_version_1_snapshot_installs_the_table_keys_and_leaves_the_lsi_range_alone() throws IOException {
    writeItems(targetApplier, "old", 0, 10);
    writeItems(sourceApplier, "old", 1_000, 20);
    List<String> targetLsiBefore = SnapshotLocalIndexTest.rows(target, contents(LOW).keyRanges().get(1));
    long index = source.appliedIndex(LogId.of(LOW)).value();
    Path file = dir.resolve("snapshot-v1");
    List<String> sourceRows = writeVersion1(file, source, LOW, index, sourceApplier.load(LOW).stats());

    PartitionSnapshot.Installed installed = PartitionSnapshot.install(file, target, LOW_RANGE, LOW, index);

    assertThat(installed.version()).isEqualTo(PartitionSnapshot.VERSION_BASE_ONLY);
    assertThat(installed.localIndexes()).isEmpty();
    assertThat(SnapshotLocalIndexTest.rows(target, LOW_RANGE)).isEqualTo(sourceRows).isNotEmpty();
    assertThat(SnapshotLocalIndexTest.rows(target, contents(LOW).keyRanges().get(1))).isEqualTo(targetLsiBefore);
    assertThat(targetApplier.load(LOW).stats()).isEqualTo(sourceApplier.load(LOW).stats());
    assertThat(target.appliedIndex(LogId.of(LOW)).value()).isEqualTo(index);
  }

  @Test
  void a_snapshot_with_a_key_of_another_partition_is_refused_before_the_applied_index_moves() throws IOException {
    writeItems(sourceApplier, "old", 0, 20);
    writeItems(targetApplier, "old", 0, 5);
    long index = source.appliedIndex(LogId.of(HIGH)).value();
    long targetIndex = target.appliedIndex(LogId.of(LOW)).value();
    Path file = dir.resolve("snapshot-high");
    PartitionSnapshot.write(file, source, contents(HIGH), index, sourceApplier.load(HIGH).stats());
    // HIGH's file, with its partition id changed to LOW's: keys outside LOW's ranges.
    byte[] bytes = Files.readAllBytes(file);
    java.nio.ByteBuffer.wrap(bytes).putLong(5, LOW.value());
    Files.write(file, bytes);

    assertThatThrownBy(() -> PartitionSnapshot.install(file, target, LOW_RANGE, LOW, index))
        .isInstanceOf(Invariants.InvariantViolation.class).hasMessageContaining("outside partition");
    assertThat(target.appliedIndex(LogId.of(LOW)).value()).isEqualTo(targetIndex);
  }

  private static ReplicaContents contents(PartitionId partitionId) {
    return ReplicaContents.of(partitionId, partitionId.equals(LOW) ? LOW_RANGE : HIGH_RANGE, List.of(LSI));
  }

  private static PartitionId partitionOf(String pk) {
    return HashRange.segment(0, 2).contains(KeyCodec.hashPartitionKey(s(pk))) ? LOW : HIGH;
  }

  /** Items {@code prefix-j} with sort keys s0..s2, ranks from {@code rankBase}, each partition in one entry. */
  private static void writeItems(PartitionApplier applier, String prefix, long rankBase, int keys) {
    Map<PartitionId, List<WriteCommand>> commands = new LinkedHashMap<>();
    for (int j = 0; j < keys; j++) {
      String pk = prefix + "-" + j;
      for (int k = 0; k < 3; k++) {
        commands.computeIfAbsent(partitionOf(pk), p -> new ArrayList<>())
            .add(put(pk, "s" + k, rankBase + 10L * j + k));
      }
    }
    commands.forEach((partition, list) -> applier.apply(applier.load(partition), list, Durability.PROCESS_CRASH_SAFE));
  }

  /** Deletes sort key s1 of every item of LOW, and every sort key of LOW's first partition key. */
  private static void deleteSome(PartitionApplier applier, String prefix, int keys) {
    List<WriteCommand> commands = new ArrayList<>();
    int first = firstKey(LOW, prefix, keys);
    for (int j = 0; j < keys; j++) {
      String pk = prefix + "-" + j;
      if (partitionOf(pk).equals(LOW)) {
        for (int k = 0; k < 3; k++) {
          if (k == 1 || j == first) {
            commands.add(new WriteCommand.Delete(KeyCodec.itemKey(TABLE, s(pk), s("s" + k)), key(pk, "s" + k), null,
                ReturnValues.NONE, false));
          }
        }
      }
    }
    applier.apply(applier.load(LOW), commands, Durability.PROCESS_CRASH_SAFE);
  }

  private static int firstKey(PartitionId partition, String prefix, int keys) {
    for (int j = 0; j < keys; j++) {
      if (partitionOf(prefix + "-" + j).equals(partition)) {
        return j;
      }
    }
    throw new AssertionError("no key of " + partition);
  }

  private static WriteCommand put(String pk, String sk, long rank) {
    Map<String, AttributeValue> item = new LinkedHashMap<>(key(pk, sk));
    item.put("rank", n(rank));
    return new WriteCommand.Put(KeyCodec.itemKey(TABLE, s(pk), s(sk)), key(pk, sk), item, null, ReturnValues.NONE,
        false);
  }

  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of("pk", s(pk), "sk", s(sk));
  }

  private static List<String> everyRow(StorageEngine engine, PartitionId partitionId) {
    List<String> rows = new ArrayList<>();
    for (KeyRange range : contents(partitionId).keyRanges()) {
      rows.addAll(SnapshotLocalIndexTest.rows(engine, range));
    }
    return rows;
  }

  /** A file in the layout of version 1, as nodes before this one wrote it. */
  private static List<String> writeVersion1(Path file, StorageEngine engine, PartitionId partitionId, long index,
      io.cairn.partition.PartitionStats stats) throws IOException {
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    try (io.cairn.storage.Cursor cursor = engine.cursor(LOW_RANGE, io.cairn.storage.Direction.FORWARD)) {
      while (cursor.next()) {
        keys.add(cursor.key());
        values.add(cursor.value());
      }
    }
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      out.writeInt(0x43534e50);
      out.writeByte(1);
      out.writeLong(partitionId.value());
      out.writeLong(index);
      out.writeLong(stats.itemCount());
      out.writeLong(stats.sizeBytes());
      for (int i = 0; i < keys.size(); i++) {
        out.writeByte(1);
        out.writeInt(keys.get(i).length);
        out.write(keys.get(i));
        out.writeInt(values.get(i).length);
        out.write(values.get(i));
      }
      out.writeByte(0);
    }
    return SnapshotLocalIndexTest.hex(keys, values);
  }
}
