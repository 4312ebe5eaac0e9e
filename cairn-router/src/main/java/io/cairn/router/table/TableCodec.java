package io.cairn.router.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.id.PartitionId;
import io.cairn.core.id.TableId;
import io.cairn.partition.index.IndexKeyAttribute;
import io.cairn.partition.index.IndexProjection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The catalog's stored form of a {@link TableDefinition}: a small JSON document, versioned. */
public final class TableCodec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FORMAT_VERSION = 1;

  private TableCodec() {}

  public static byte[] encode(TableDefinition table) {
    ObjectNode root = JSON.createObjectNode();
    root.put("formatVersion", FORMAT_VERSION);
    root.put("name", table.name());
    root.put("tableId", table.tableId().value());
    root.put("externalId", table.externalId());
    root.put("arn", table.arn());
    ObjectNode key = root.putObject("keySchema");
    KeySchema schema = table.keySchema();
    key.put("partitionKey", schema.partitionKey());
    key.put("partitionKeyType", schema.partitionKeyType());
    if (schema.hasSortKey()) {
      key.put("sortKey", schema.sortKey());
      key.put("sortKeyType", schema.sortKeyType());
    }
    ObjectNode definitions = root.putObject("attributeDefinitions");
    table.attributeDefinitions().forEach(definitions::put);
    root.put("status", table.status().name());
    root.put("creationEpochMillis", table.creationEpochMillis());
    root.put("billingMode", table.billingMode().name());
    root.put("readCapacityUnits", table.readCapacityUnits());
    root.put("writeCapacityUnits", table.writeCapacityUnits());
    root.put("lastIncreaseEpochMillis", table.lastIncreaseEpochMillis());
    root.put("lastDecreaseEpochMillis", table.lastDecreaseEpochMillis());
    root.put("decreasesToday", table.decreasesToday());
    root.put("billingModeChangeEpochMillis", table.billingModeChangeEpochMillis());
    root.put("deletionProtection", table.deletionProtection());
    root.put("tableClass", table.tableClass());
    ArrayNode tags = root.putArray("tags");
    for (Tag tag : table.tags()) {
      tags.addObject().put("key", tag.key()).put("value", tag.value());
    }
    ArrayNode partitions = root.putArray("partitions");
    for (PartitionRange range : table.partitions()) {
      partitions.addObject()
          .put("partitionId", range.partitionId().value())
          .put("hashLow", range.hashLow())
          .put("hashHigh", range.hashHigh());
    }
    ArrayNode indexes = root.putArray("indexes");
    for (IndexDefinition index : table.indexes()) {
      ObjectNode node = indexes.addObject();
      node.put("name", index.name());
      node.put("global", index.global());
      node.put("keyspaceId", index.keyspaceId());
      writeAttributes(node.putArray("partitionKey"), index.partitionKey());
      writeAttributes(node.putArray("sortKey"), index.sortKey());
      node.put("projectionType", index.projection().type().name());
      ArrayNode nonKey = node.putArray("nonKeyAttributes");
      index.projection().nonKeyAttributes().forEach(nonKey::add);
      node.put("status", index.status());
      node.put("backfilling", index.backfilling());
      node.put("readCapacityUnits", index.readCapacityUnits());
      node.put("writeCapacityUnits", index.writeCapacityUnits());
      ArrayNode ranges = node.putArray("partitions");
      for (PartitionRange range : index.partitions()) {
        ranges.addObject()
            .put("partitionId", range.partitionId().value())
            .put("hashLow", range.hashLow())
            .put("hashHigh", range.hashHigh());
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TableDefinition decode(byte[] bytes) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("corrupt catalog entry", e);
    }
    int version = root.path("formatVersion").asInt();
    if (version != FORMAT_VERSION) {
      throw new IllegalStateException("catalog entry has unknown format version " + version);
    }
    JsonNode key = root.get("keySchema");
    KeySchema schema = new KeySchema(
        key.get("partitionKey").asText(), key.get("partitionKeyType").asText(),
        key.hasNonNull("sortKey") ? key.get("sortKey").asText() : null,
        key.hasNonNull("sortKeyType") ? key.get("sortKeyType").asText() : null);
    Map<String, String> definitions = new LinkedHashMap<>();
    root.get("attributeDefinitions").properties().forEach(e -> definitions.put(e.getKey(), e.getValue().asText()));
    List<Tag> tags = new ArrayList<>();
    root.get("tags").forEach(t -> tags.add(new Tag(t.get("key").asText(), t.get("value").asText())));
    List<PartitionRange> partitions = new ArrayList<>();
    root.get("partitions").forEach(p -> partitions.add(new PartitionRange(
        new PartitionId(p.get("partitionId").asLong()), p.get("hashLow").asLong(), p.get("hashHigh").asLong())));
    return new TableDefinition(
        root.get("name").asText(),
        new TableId(root.get("tableId").asLong()),
        root.get("externalId").asText(),
        root.get("arn").asText(),
        schema,
        definitions,
        TableStatus.valueOf(root.get("status").asText()),
        root.get("creationEpochMillis").asLong(),
        BillingMode.valueOf(root.get("billingMode").asText()),
        root.get("readCapacityUnits").asLong(),
        root.get("writeCapacityUnits").asLong(),
        root.get("lastIncreaseEpochMillis").asLong(),
        root.get("lastDecreaseEpochMillis").asLong(),
        root.get("decreasesToday").asInt(),
        root.get("billingModeChangeEpochMillis").asLong(),
        root.get("deletionProtection").asBoolean(),
        root.get("tableClass").asText(),
        tags,
        partitions,
        readIndexes(root.path("indexes")));
  }

  private static void writeAttributes(ArrayNode array, List<IndexKeyAttribute> attributes) {
    for (IndexKeyAttribute attribute : attributes) {
      array.addObject().put("name", attribute.name()).put("type", attribute.type());
    }
  }

  private static List<IndexKeyAttribute> readAttributes(JsonNode array) {
    List<IndexKeyAttribute> attributes = new ArrayList<>();
    array.forEach(a -> attributes.add(new IndexKeyAttribute(a.get("name").asText(), a.get("type").asText())));
    return attributes;
  }

  /** Entries written before indexes existed have no "indexes" member: no indexes. */
  private static List<IndexDefinition> readIndexes(JsonNode array) {
    List<IndexDefinition> indexes = new ArrayList<>();
    for (JsonNode node : array) {
      List<String> nonKey = new ArrayList<>();
      node.get("nonKeyAttributes").forEach(n -> nonKey.add(n.asText()));
      List<PartitionRange> ranges = new ArrayList<>();
      node.get("partitions").forEach(p -> ranges.add(new PartitionRange(
          new PartitionId(p.get("partitionId").asLong()), p.get("hashLow").asLong(), p.get("hashHigh").asLong())));
      indexes.add(new IndexDefinition(
          node.get("name").asText(),
          node.get("global").asBoolean(),
          node.get("keyspaceId").asLong(),
          readAttributes(node.get("partitionKey")),
          readAttributes(node.get("sortKey")),
          new IndexProjection(IndexProjection.Type.valueOf(node.get("projectionType").asText()), nonKey),
          node.get("status").asText(),
          node.get("backfilling").asBoolean(),
          node.get("readCapacityUnits").asLong(),
          node.get("writeCapacityUnits").asLong(),
          ranges));
    }
    return indexes;
  }
}
