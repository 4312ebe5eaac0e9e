package io.cairn.router.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.id.PartitionId;
import io.cairn.core.id.TableId;
import io.cairn.partition.index.IndexKeyAttribute;
import io.cairn.partition.index.IndexProjection;
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
  void multiAttributeIndexKeysSurviveTheCatalogEncodingInDeclaredOrder() {
    IndexDefinition gsi = new IndexDefinition("byMatch", true, 43,
        List.of(new IndexKeyAttribute("tourney", "S"), new IndexKeyAttribute("area", "S")),
        List.of(new IndexKeyAttribute("stage", "S"), new IndexKeyAttribute("score", "N"), new IndexKeyAttribute("id", "B")),
        new IndexProjection(IndexProjection.Type.INCLUDE, List.of("note")), "ACTIVE", false, 0, 0,
        List.of(new PartitionRange(new PartitionId(9), Long.MIN_VALUE, -1L)));
    TableDefinition table = new TableDefinition(
        "Matches", new TableId(42), "uuid", "arn:aws:dynamodb:us-east-1:000000000000:table/Matches",
        new KeySchema("pk", "S", null, null),
        Map.of("pk", "S", "tourney", "S", "area", "S", "stage", "S", "score", "N", "id", "B"), TableStatus.ACTIVE,
        1L, BillingMode.PAY_PER_REQUEST, 0, 0, 0, 0, 0, 1L, false, "STANDARD", List.of(),
        List.of(new PartitionRange(new PartitionId(3), Long.MIN_VALUE, -1L)), List.of(gsi));

    TableDefinition decoded = TableCodec.decode(TableCodec.encode(table));
    assertThat(decoded).isEqualTo(table);
    assertThat(decoded.index("byMatch").sortKey()).extracting(IndexKeyAttribute::name).containsExactly("stage", "score", "id");
  }

  /**
   * Catalog entries written before multi-attribute keys were accepted already stored each index
   * key as a list of attributes (one element each), so they read back unchanged.
   */
  @Test
  void aStoredSingleAttributeIndexReadsBack() {
    String stored = """
        {"formatVersion":1,"name":"T","tableId":5,"externalId":"x","arn":"arn:t","keySchema":{"partitionKey":"pk",
        "partitionKeyType":"S"},"attributeDefinitions":{"pk":"S","color":"S"},"status":"ACTIVE",
        "creationEpochMillis":1,"billingMode":"PAY_PER_REQUEST","readCapacityUnits":0,"writeCapacityUnits":0,
        "lastIncreaseEpochMillis":0,"lastDecreaseEpochMillis":0,"decreasesToday":0,"billingModeChangeEpochMillis":1,
        "deletionProtection":false,"tableClass":"STANDARD","tags":[],"partitions":[{"partitionId":1,"hashLow":0,
        "hashHigh":-1}],"indexes":[{"name":"byColor","global":true,"keyspaceId":6,"partitionKey":[{"name":"color",
        "type":"S"}],"sortKey":[],"projectionType":"KEYS_ONLY","nonKeyAttributes":[],"status":"ACTIVE",
        "backfilling":false,"readCapacityUnits":0,"writeCapacityUnits":0,"partitions":[{"partitionId":2,"hashLow":0,
        "hashHigh":-1}]}]}""";
    TableDefinition table = TableCodec.decode(stored.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    IndexDefinition index = table.index("byColor");
    assertThat(index.partitionKey()).containsExactly(new IndexKeyAttribute("color", "S"));
    assertThat(index.sortKey()).isEmpty();
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
