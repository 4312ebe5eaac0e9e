package io.cairn.router.item;

import com.fasterxml.jackson.core.JsonGenerator;
import io.cairn.core.value.AttributeValue;
import io.cairn.protocol.json.AttributeValueJson;
import io.cairn.router.table.TableDefinition;
import java.io.IOException;
import java.util.Map;

/**
 * ItemCollectionMetrics, as PutItem, UpdateItem, DeleteItem and BatchWriteItem return them for a
 * table with local secondary indexes: the item collection's partition key and DynamoDB's size
 * estimate, a range of whole gigabytes around the exact size Cairn keeps.
 */
final class ItemCollections {
  private static final double BYTES_PER_GB = 1024.0 * 1024 * 1024;

  private ItemCollections() {}

  /** One {@code {ItemCollectionKey, SizeEstimateRangeGB}} object. */
  static void write(JsonGenerator json, TableDefinition table, AttributeValue partitionKey, long collectionBytes)
      throws IOException {
    double low = Math.floor(collectionBytes / BYTES_PER_GB);
    json.writeStartObject();
    json.writeFieldName("ItemCollectionKey");
    AttributeValueJson.writeItem(json, Map.of(table.keySchema().partitionKey(), partitionKey));
    json.writeArrayFieldStart("SizeEstimateRangeGB");
    json.writeNumber(low);
    json.writeNumber(low + 1);
    json.writeEndArray();
    json.writeEndObject();
  }
}
