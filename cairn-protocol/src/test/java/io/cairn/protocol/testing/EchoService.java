package io.cairn.protocol.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.cairn.core.value.AttributeValue;
import io.cairn.protocol.DynamoDbService;
import io.cairn.protocol.ErrorDetail;
import io.cairn.protocol.RequestContext;
import io.cairn.protocol.ServiceResponse;
import io.cairn.protocol.json.AttributeValueJson;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A hand-written service for protocol tests: ListTables answers a fixed list (or a long one),
 * PutItem echoes the item back as Attributes, GetItem on table "missing" is ResourceNotFound,
 * DeleteItem fails its condition (returning the item), TransactWriteItems is cancelled,
 * DescribeLimits throws an unexpected exception, UpdateItem completes later on another thread.
 */
public final class EchoService implements DynamoDbService {
  public final AtomicReference<RequestContext> lastContext = new AtomicReference<>();
  private final Executor later;

  public EchoService(Executor later) {
    this.later = later;
  }

  private static final java.util.Set<String> OPERATIONS = java.util.Set.of(
      "ListTables", "PutItem", "GetItem", "DeleteItem", "TransactWriteItems", "DescribeLimits", "UpdateItem");

  @Override
  public boolean supports(String operation) {
    return OPERATIONS.contains(operation);
  }

  @Override
  public CompletionStage<ServiceResponse> call(String operation, ObjectNode request, RequestContext context) {
    lastContext.set(context);
    switch (operation) {
      case "ListTables" -> {
        int count = request.path("Limit").asInt(3);
        return CompletableFuture.completedFuture(json -> {
          json.writeStartObject();
          json.writeArrayFieldStart("TableNames");
          for (int i = 0; i < count; i++) {
            json.writeString("table-" + i);
          }
          json.writeEndArray();
          json.writeEndObject();
        });
      }
      case "PutItem" -> {
        Map<String, AttributeValue> item = AttributeValueJson.readItem(request.path("Item"));
        return CompletableFuture.completedFuture(json -> {
          json.writeStartObject();
          json.writeFieldName("Attributes");
          AttributeValueJson.writeItem(json, item);
          json.writeEndObject();
        });
      }
      case "GetItem" -> {
        JsonNode table = request.path("TableName");
        if (table.asText().equals("missing")) {
          throw DynamoDbException.resourceNotFound("Requested resource not found");
        }
        Map<String, AttributeValue> key = AttributeValueJson.readKey(request.path("Key"));
        return CompletableFuture.completedFuture(json -> {
          json.writeStartObject();
          json.writeFieldName("Item");
          AttributeValueJson.writeItem(json, key);
          json.writeEndObject();
        });
      }
      case "DeleteItem" -> {
        Map<String, AttributeValue> old = Map.of("pk", AttributeValue.s("k"), "n", AttributeValue.n(7));
        ErrorDetail detail = json -> {
          json.writeFieldName("Item");
          AttributeValueJson.writeItem(json, old);
        };
        return CompletableFuture.failedFuture(new DynamoDbException(
            ErrorType.CONDITIONAL_CHECK_FAILED, "The conditional request failed", detail));
      }
      case "TransactWriteItems" -> {
        ErrorDetail detail = json -> {
          json.writeArrayFieldStart("CancellationReasons");
          json.writeStartObject();
          json.writeStringField("Code", "ConditionalCheckFailed");
          json.writeStringField("Message", "The conditional request failed");
          json.writeEndObject();
          json.writeStartObject();
          json.writeStringField("Code", "None");
          json.writeEndObject();
          json.writeEndArray();
        };
        throw new DynamoDbException(ErrorType.TRANSACTION_CANCELED,
            "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]",
            detail);
      }
      case "DescribeLimits" -> throw new IllegalStateException("a bug in the service");
      case "UpdateItem" -> {
        return CompletableFuture.supplyAsync(() -> json -> {
          json.writeStartObject();
          json.writeObjectFieldStart("Attributes");
          json.writeFieldName("later");
          AttributeValueJson.writeValue(json, AttributeValue.l(List.of(AttributeValue.Bool.TRUE)));
          json.writeEndObject();
          json.writeEndObject();
        }, later);
      }
      default -> throw new DynamoDbException(ErrorType.UNKNOWN_OPERATION, null);
    }
  }
}
