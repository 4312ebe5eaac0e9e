package io.cairn.router.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.id.PartitionId;
import io.cairn.core.id.TableId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableCodecTest {

  @Test
  void aDefinitionSurvivesTheCatalogEncoding() {
    TableDefinition table = new TableDefinition(
        "Music", new TableId(42), "0b1c-uuid", "arn:aws:dynamodb:eu-west-1:000000000000:table/Music",
        new KeySchema("Artist", "S", "Year", "N"), Map.of("Artist", "S", "Year", "N"), TableStatus.ACTIVE,
        1_700_000_000_123L, BillingMode.PROVISIONED, 5, 7, 11, 13, 2, 0, true, "STANDARD_INFREQUENT_ACCESS",
        List.of(new Tag("team", "storage"), new Tag("tier", "")),
        List.of(new PartitionRange(new PartitionId(3), 0, Long.MAX_VALUE),
            new PartitionRange(new PartitionId(4), Long.MIN_VALUE, -1L)));

    assertThat(TableCodec.decode(TableCodec.encode(table))).isEqualTo(table);
  }

  @Test
  void anUnknownFormatVersionIsRefusedRatherThanMisread() {
    byte[] future = "{\"formatVersion\":2}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TableCodec.decode(future)).hasMessageContaining("unknown format version 2");
  }

  @Test
  void partitionLookupCoversTheWholeUnsignedHashSpace() {
    PartitionRange low = new PartitionRange(new PartitionId(1), 0, Long.MAX_VALUE);
    PartitionRange high = new PartitionRange(new PartitionId(2), Long.MIN_VALUE, -1L);
    assertThat(low.contains(0)).isTrue();
    assertThat(low.contains(Long.MAX_VALUE)).isTrue();
    assertThat(high.contains(Long.MIN_VALUE)).isTrue();
    assertThat(high.contains(-1L)).isTrue();
    assertThat(low.contains(-1L)).isFalse();
  }
}
