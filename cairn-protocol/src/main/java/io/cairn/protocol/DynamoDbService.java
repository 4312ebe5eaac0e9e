package io.cairn.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletionStage;

/**
 * What the protocol layer calls once a request is authenticated and parsed: one DynamoDB operation.
 *
 * <p>The HTTP layer owns everything about the wire (framing, compression, signatures, CRC32,
 * request ids, error bodies); an implementation of this interface owns the semantics. A failure is
 * a {@link io.cairn.core.error.DynamoDbException}, thrown or completing the stage exceptionally;
 * anything else is reported as an InternalServerError and logged.
 */
public interface DynamoDbService {

  /**
   * Runs one operation.
   *
   * @param operation the name after {@code DynamoDB_20120810.} in {@code X-Amz-Target}, e.g. "PutItem";
   *     an unknown name must fail with UnknownOperationException
   * @param request the parsed JSON body (an empty object when the body was empty)
   */
  CompletionStage<ServiceResponse> call(String operation, ObjectNode request, RequestContext context);

  /**
   * Whether {@code operation} names an operation this service implements. DynamoDB refuses an
   * unknown operation with UnknownOperationException before it parses the body or checks the
   * signature; the front end asks this first to answer the same way. The default accepts every
   * name and leaves the refusal to {@link #call}.
   */
  default boolean supports(String operation) {
    return true;
  }
}
