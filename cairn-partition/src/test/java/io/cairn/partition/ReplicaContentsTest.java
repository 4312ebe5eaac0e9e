package io.cairn.partition;

import static io.cairn.core.value.AttributeValue.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.Invariants;
import io.cairn.core.id.PartitionId;
import io.cairn.storage.Durability;
import io.cairn.storage.HashRange;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyspaceId;
import io.cairn.storage.StorageEngine;
import io.cairn.storage.StorageOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which keys and records belong to one partition replica on an engine shared with others. */
class ReplicaContentsTest {
  static final KeyspaceId BASE = new KeyspaceId(5);
  static final KeyspaceId LOCAL = new KeyspaceId(6);
  static final PartitionId PARTITION = new PartitionId(9);

  @TempDir Path dir;

  @Test
  void the_hash_range_is_read_back_from_the_partitions_key_range() {
    for (int count : new int[] {1, 2, 3, 4, 7}) {
      for (int i = 0; i < count; i++) {
        HashRange segment = HashRange.segment(i, count);
        ReplicaContents contents = ReplicaContents.of(PARTITION, KeyCodec.hashRange(BASE, segment), List.of(LOCAL));
        assertThat(contents.hashes()).as("segment %s of %s", i, count).isEqualTo(segment);
        assertThat(contents.base()).isEqualTo(BASE);
        assertThat(contents.keyRanges())
            .containsExactly(KeyCodec.hashRange(BASE, segment), KeyCodec.hashRange(LOCAL, segment));
      }
    }
    assertThat(ReplicaContents.of(PARTITION, KeyCodec.keyspaceRange(BASE), List.of()).hashes())
        .isEqualTo(HashRange.FULL);
    assertThatThrownBy(() -> ReplicaContents.of(PARTITION, KeyCodec.partitionRange(BASE, s("a")), List.of()))
        .isInstanceOf(Invariants.InvariantViolation.class);
    assertThatThrownBy(() -> ReplicaContents.of(PARTITION, KeyCodec.keyspaceRange(BASE), List.of(BASE)))
        .isInstanceOf(Invariants.InvariantViolation.class);
  }

  @Test
  void records_are_the_lsi_statistics_and_the_collection_sizes_in_the_hash_range_in_every_bucket() {
    HashRange middle = new HashRange(0x3000_0000_0000_0000L, 0xA0FF_FFFF_FFFF_FFFFL);
    ReplicaContents contents = new ReplicaContents(PARTITION, BASE, middle, List.of(LOCAL));
    String collections = IndexWrites.collectionPrefix(BASE);
    List<String> inside = List.of(
        collections + "3000000000000000" + "0161",
        collections + "7fffffffffffffff" + "0162",
        collections + "a0ffffffffffffff" + "0163",
        IndexWrites.indexStatsName(LOCAL, PARTITION));
    List<String> outside = List.of(
        collections + "2fffffffffffffff" + "0164",
        collections + "a100000000000000" + "0165",
        IndexWrites.collectionPrefix(LOCAL) + "5000000000000000" + "0166",
        IndexWrites.indexStatsName(LOCAL, new PartitionId(10)),
        IndexWrites.indexStatsName(new KeyspaceId(7), PARTITION),
        contents.statsName());
    try (StorageEngine engine = StorageEngine.open(dir.resolve("engine"), StorageOptions.small())) {
      for (String name : inside) {
        engine.putMetadata(name, new byte[] {1}, Durability.PROCESS_CRASH_SAFE);
      }
      for (String name : outside) {
        engine.putMetadata(name, new byte[] {2}, Durability.PROCESS_CRASH_SAFE);
      }
      List<String> visited = new ArrayList<>();
      contents.forEachRecord(engine, (name, value) -> visited.add(name));
      assertThat(visited).containsExactlyInAnyOrderElementsOf(inside);
    }
    inside.forEach(name -> assertThat(contents.holdsRecord(name)).as(name).isTrue());
    outside.forEach(name -> assertThat(contents.holdsRecord(name)).as(name).isFalse());
  }
}
