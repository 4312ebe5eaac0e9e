package io.cairn.router.item;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.cairn.core.value.AttributeValue;
import io.cairn.protocol.ErrorDetail;
import io.cairn.protocol.json.AttributeValueJson;
import java.util.Map;

/** DynamoDB's ConditionalCheckFailedException, with the current item when it was asked for. */
final class ConditionFailure {
  static final String MESSAGE = "The conditional request failed";

  private ConditionFailure() {}

  static DynamoDbException of(Map<String, AttributeValue> currentItem) {
    if (currentItem == null) {
      return new DynamoDbException(ErrorType.CONDITIONAL_CHECK_FAILED, MESSAGE);
    }
    ErrorDetail detail = json -> {
      json.writeFieldName("Item");
      AttributeValueJson.writeItem(json, currentItem);
    };
    return new DynamoDbException(ErrorType.CONDITIONAL_CHECK_FAILED, MESSAGE, detail);
  }
}
