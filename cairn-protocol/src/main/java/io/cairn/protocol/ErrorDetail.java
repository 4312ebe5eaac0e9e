package io.cairn.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Extra fields of an error body, carried in {@link io.cairn.core.error.DynamoDbException#detail()}.
 *
 * <p>Most errors are just {@code __type} and {@code message}; a few carry more, such as the
 * {@code Item} of a ConditionalCheckFailedException (ReturnValuesOnConditionCheckFailure) or the
 * {@code CancellationReasons} of a TransactionCanceledException. The error writer calls
 * {@link #writeFields} after the two standard fields, inside the same JSON object, so an
 * implementation writes field names and values only, never the enclosing braces.
 */
@FunctionalInterface
public interface ErrorDetail {
  void writeFields(JsonGenerator json) throws IOException;
}
