package io.cairn.router;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.cairn.protocol.DynamoDbService;
import io.cairn.protocol.RequestContext;
import io.cairn.protocol.ServiceResponse;
import io.cairn.router.item.BatchOperations;
import io.cairn.router.item.ItemOperations;
import io.cairn.router.item.QueryScanOperations;
import io.cairn.router.table.TableOperations;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The request router's operations: every DynamoDB operation Cairn serves, by name. Validation
 * and table lookups happen here; item work is routed to the partition that owns the key.
 */
public final class Operations implements DynamoDbService {
  private final TableOperations tables;
  private final ItemOperations items;
  private final QueryScanOperations reads;
  private final BatchOperations batches;

  public Operations(TableOperations tables, ItemOperations items, QueryScanOperations reads, BatchOperations batches) {
    this.tables = tables;
    this.items = items;
    this.reads = reads;
    this.batches = batches;
  }

  /** Every operation this router serves; anything else is refused before its body is read. */
  private static final java.util.Set<String> OPERATIONS = java.util.Set.of(
      "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "GetItem", "Query", "Scan", "BatchGetItem",
      "CreateTable", "DescribeTable", "ListTables", "DeleteTable", "UpdateTable", "TagResource", "UntagResource",
      "ListTagsOfResource", "DescribeLimits", "DescribeEndpoints");

  @Override
  public boolean supports(String operation) {
    return OPERATIONS.contains(operation);
  }

  @Override
  public CompletionStage<ServiceResponse> call(String operation, ObjectNode request, RequestContext context) {
    try {
      return switch (operation) {
        case "PutItem" -> items.putItem(request);
        case "UpdateItem" -> items.updateItem(request);
        case "DeleteItem" -> items.deleteItem(request);
        case "BatchWriteItem" -> batches.batchWriteItem(request);
        default -> CompletableFuture.completedFuture(callSync(operation, request, context));
      };
    } catch (DynamoDbException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private ServiceResponse callSync(String operation, ObjectNode request, RequestContext context) {
    return switch (operation) {
      case "GetItem" -> items.getItem(request);
      case "Query" -> reads.query(request);
      case "Scan" -> reads.scan(request);
      case "BatchGetItem" -> batches.batchGetItem(request);
      case "CreateTable" -> tables.createTable(request, context);
      case "DescribeTable" -> tables.describeTable(request);
      case "ListTables" -> tables.listTables(request);
      case "DeleteTable" -> tables.deleteTable(request);
      case "UpdateTable" -> tables.updateTable(request);
      case "TagResource" -> tables.tagResource(request);
      case "UntagResource" -> tables.untagResource(request);
      case "ListTagsOfResource" -> tables.listTagsOfResource(request);
      case "DescribeLimits" -> tables.describeLimits();
      case "DescribeEndpoints" -> tables.describeEndpoints();
      default -> throw new DynamoDbException(ErrorType.UNKNOWN_OPERATION, null);
    };
  }
}
