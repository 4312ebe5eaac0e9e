package io.cairn.bench.ycsb;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * YCSB binding for DynamoDB on the AWS SDK v2 (no binding for it is on Maven Central). One YCSB
 * client thread gets one instance; all instances share one SDK client and its connection pool, so
 * {@code dynamodb.maxConnections} bounds the sockets, not the thread count.
 *
 * <p>Records are items keyed by {@code dynamodb.keyAttribute} (a string hash key) with one string
 * attribute per YCSB field. YCSB's scan (a key range) has no equivalent on a hash-keyed table; like
 * the original DynamoDB binding it is a Scan from the start key with a Limit.
 */
public final class DynamoDbBinding extends DB {
  private SharedClient.Lease lease;
  private BindingConfig config;

  @Override
  public void init() throws DBException {
    try {
      config = BindingConfig.from(getProperties());
      lease = SharedClient.acquire(config);
    } catch (RuntimeException e) {
      throw new DBException("cannot set up the DynamoDB client: " + e.getMessage(), e);
    }
  }

  @Override
  public void cleanup() {
    if (lease != null) {
      lease.close();
      lease = null;
    }
  }

  private DynamoDbClient client() {
    return lease.client();
  }

  private Map<String, AttributeValue> key(String key) {
    return Map.of(config.keyAttribute(), AttributeValue.fromS(key));
  }

  @Override
  public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
    try {
      GetItemRequest.Builder request =
          GetItemRequest.builder().tableName(config.table(table)).key(key(key)).consistentRead(config.consistentReads());
      if (fields != null) {
        request.attributesToGet(fields);
      }
      GetItemResponse response = client().getItem(request.build());
      if (!response.hasItem() || response.item().isEmpty()) {
        return Status.NOT_FOUND;
      }
      copyFields(response.item(), fields, result);
      return Status.OK;
    } catch (DynamoDbException e) {
      return Status.ERROR;
    }
  }

  @Override
  public Status scan(
      String table, String startKey, int recordCount, Set<String> fields, Vector<HashMap<String, ByteIterator>> result) {
    try {
      ScanRequest.Builder request =
          ScanRequest.builder().tableName(config.table(table)).exclusiveStartKey(key(startKey)).limit(recordCount);
      if (fields != null) {
        request.attributesToGet(fields);
      }
      ScanResponse response = client().scan(request.build());
      for (Map<String, AttributeValue> item : response.items()) {
        HashMap<String, ByteIterator> row = new HashMap<>();
        copyFields(item, fields, row);
        result.add(row);
      }
      return Status.OK;
    } catch (DynamoDbException e) {
      return Status.ERROR;
    }
  }

  @Override
  public Status update(String table, String key, Map<String, ByteIterator> values) {
    StringBuilder expression = new StringBuilder("SET ");
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> attributeValues = new HashMap<>();
    int i = 0;
    for (Map.Entry<String, ByteIterator> field : values.entrySet()) {
      if (i > 0) {
        expression.append(", ");
      }
      expression.append("#f").append(i).append(" = :v").append(i);
      names.put("#f" + i, field.getKey());
      attributeValues.put(":v" + i, AttributeValue.fromS(field.getValue().toString()));
      i++;
    }
    try {
      client()
          .updateItem(
              UpdateItemRequest.builder()
                  .tableName(config.table(table))
                  .key(key(key))
                  .updateExpression(expression.toString())
                  .expressionAttributeNames(names)
                  .expressionAttributeValues(attributeValues)
                  .build());
      return Status.OK;
    } catch (DynamoDbException e) {
      return Status.ERROR;
    }
  }

  @Override
  public Status insert(String table, String key, Map<String, ByteIterator> values) {
    Map<String, AttributeValue> item = new HashMap<>(values.size() + 1);
    for (Map.Entry<String, ByteIterator> field : values.entrySet()) {
      item.put(field.getKey(), AttributeValue.fromS(field.getValue().toString()));
    }
    item.put(config.keyAttribute(), AttributeValue.fromS(key));
    try {
      client().putItem(r -> r.tableName(config.table(table)).item(item));
      return Status.OK;
    } catch (DynamoDbException e) {
      return Status.ERROR;
    }
  }

  @Override
  public Status delete(String table, String key) {
    try {
      client().deleteItem(r -> r.tableName(config.table(table)).key(key(key)));
      return Status.OK;
    } catch (DynamoDbException e) {
      return Status.ERROR;
    }
  }

  private void copyFields(Map<String, AttributeValue> item, Set<String> fields, Map<String, ByteIterator> out) {
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      String name = attribute.getKey();
      if (name.equals(config.keyAttribute()) || (fields != null && !fields.contains(name))) {
        continue;
      }
      String s = attribute.getValue().s();
      out.put(name, new StringByteIterator(s != null ? s : attribute.getValue().toString()));
    }
  }
}
