package io.cairn.router.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.id.PartitionId;
import io.cairn.core.id.TableId;
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
        partitions);
  }
}
