package io.cairn.partition;

import static io.cairn.core.value.AttributeValue.n;
import static io.cairn.core.value.AttributeValue.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.id.PartitionId;
import io.cairn.core.id.TableId;
import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.ExpressionAttributes;
import io.cairn.expressions.Expressions;
import io.cairn.storage.Durability;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyspaceId;
import io.cairn.storage.LogId;
import io.cairn.storage.StorageEngine;
import io.cairn.storage.StorageOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionHostTest {
  private static final KeyspaceId TABLE = KeyspaceId.of(new TableId(7));
  private static final PartitionId PARTITION = new PartitionId(1);

  @TempDir Path dir;

  @Test
  void concurrentIncrementsOfOneItemAreAppliedInLogOrderWithoutLosingAny() throws Exception {
    int writes = 2_000;
    try (StorageEngine engine = StorageEngine.open(dir, StorageOptions.small());
        PartitionHost host = new PartitionHost(engine, PartitionHostOptions.defaults(Durability.PROCESS_CRASH_SAFE))) {
      var update = Expressions.parseUpdate("ADD hits :one", new ExpressionAttributes(null, Map.of(":one", n(1))));
      byte[] key = KeyCodec.itemKey(TABLE, s("counter"));
      List<CompletableFuture<WriteOutcome>> outcomes = new ArrayList<>();
      for (int i = 0; i < writes; i++) {
        outcomes.add(host.write(PARTITION, new WriteCommand.Update(
            key, Map.of("pk", s("counter")), update, null, ReturnValues.NONE, false)));
      }
      CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).join();
      assertThat(host.read(key)).containsEntry("hits", n(writes));
      assertThat(engine.appliedIndex(LogId.of(PARTITION)).value()).isEqualTo(writes);
      assertThat(host.stats(PARTITION).itemCount()).isEqualTo(1);
    }
  }

  @Test
  void dataStatisticsAndAppliedIndexSurviveReopen() {
    try (StorageEngine engine = StorageEngine.open(dir, StorageOptions.small());
        PartitionHost host = new PartitionHost(engine, PartitionHostOptions.defaults(Durability.PROCESS_CRASH_SAFE))) {
      for (int i = 0; i < 10; i++) {
        Map<String, AttributeValue> item = Map.of("pk", s("k" + i), "v", n(i));
        host.write(PARTITION, new WriteCommand.Put(
            KeyCodec.itemKey(TABLE, s("k" + i)), Map.of("pk", s("k" + i)), item, null, ReturnValues.NONE, false)).join();
      }
      host.write(PARTITION, new WriteCommand.Delete(
          KeyCodec.itemKey(TABLE, s("k0")), Map.of("pk", s("k0")), null, ReturnValues.NONE, false)).join();
    }
    try (StorageEngine engine = StorageEngine.open(dir, StorageOptions.small());
        PartitionHost host = new PartitionHost(engine, PartitionHostOptions.defaults(Durability.PROCESS_CRASH_SAFE))) {
      assertThat(host.read(KeyCodec.itemKey(TABLE, s("k3")))).containsEntry("v", n(3));
      assertThat(host.read(KeyCodec.itemKey(TABLE, s("k0")))).isNull();
      assertThat(host.stats(PARTITION).itemCount()).isEqualTo(9);
      assertThat(engine.appliedIndex(LogId.of(PARTITION)).value()).isEqualTo(11);
    }
  }

  @Test
  void dropRemovesTheTablesRangeAndItsPartitionState() {
    try (StorageEngine engine = StorageEngine.open(dir, StorageOptions.small());
        PartitionHost host = new PartitionHost(engine, PartitionHostOptions.defaults(Durability.PROCESS_CRASH_SAFE))) {
      KeyspaceId other = KeyspaceId.of(new TableId(8));
      PartitionId otherPartition = new PartitionId(2);
      host.write(PARTITION, new WriteCommand.Put(KeyCodec.itemKey(TABLE, s("a")), Map.of("pk", s("a")),
          Map.of("pk", s("a")), null, ReturnValues.NONE, false)).join();
      host.write(otherPartition, new WriteCommand.Put(KeyCodec.itemKey(other, s("a")), Map.of("pk", s("a")),
          Map.of("pk", s("a")), null, ReturnValues.NONE, false)).join();

      host.drop(KeyCodec.keyspaceRange(TABLE), List.of(PARTITION)).join();

      assertThat(host.read(KeyCodec.itemKey(TABLE, s("a")))).isNull();
      assertThat(host.read(KeyCodec.itemKey(other, s("a")))).isNotNull();
      assertThat(host.stats(PARTITION)).isEqualTo(PartitionStats.EMPTY);
      assertThat(engine.appliedIndex(LogId.of(PARTITION)).value()).isZero();
    }
  }
}
