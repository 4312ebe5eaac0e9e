package io.cairn.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.storage.HashRange;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyRange;
import io.cairn.storage.KeyspaceId;
import org.junit.jupiter.api.Test;

/** The range a partition serves reads from: its hash range, in its table's keyspace or an LSI's. */
class PartitionRangeCheckTest {
  static final KeyspaceId TABLE = new KeyspaceId(5);
  static final KeyspaceId LSI = new KeyspaceId(9);

  @Test
  void anLsiKeyspaceGetsTheSameHashRange() {
    HashRange half = new HashRange(0L, Long.MAX_VALUE);
    KeyRange own = KeyCodec.hashRange(TABLE, half);
    assertThat(PartitionStateMachine.inKeyspaceOf(own, KeyCodec.hashRange(LSI, half)))
        .isEqualTo(KeyCodec.hashRange(LSI, half));
    assertThat(PartitionStateMachine.inKeyspaceOf(own, KeyCodec.hashRange(TABLE, half))).isEqualTo(own);
  }

  @Test
  void aRangeToTheEndOfTheHashSpaceEndsAtTheNextKeyspace() {
    KeyRange own = KeyCodec.hashRange(TABLE, HashRange.FULL);
    KeyRange lsi = KeyCodec.hashRange(LSI, HashRange.FULL);
    assertThat(PartitionStateMachine.inKeyspaceOf(own, lsi)).isEqualTo(lsi);
    assertThat(lsi.upperExclusive()).isEqualTo(KeyCodec.keyspaceRange(LSI).upperExclusive());
  }

  @Test
  void hashesOutsideThePartitionStayOutsideInAnyKeyspace() {
    HashRange lowHalf = new HashRange(0L, Long.MAX_VALUE);
    HashRange highHalf = new HashRange(Long.MIN_VALUE, -1L);
    KeyRange own = KeyCodec.hashRange(TABLE, lowHalf);
    KeyRange asked = KeyCodec.hashRange(LSI, highHalf);
    KeyRange allowed = PartitionStateMachine.inKeyspaceOf(own, asked);
    assertThat(asked.intersect(allowed)).isNotEqualTo(asked);
  }
}
