package io.cairn.core.error;

/**
 * Every error Cairn returns, as DynamoDB names it on the wire.
 *
 * <p>The {@code __type} of an error body is the namespace and the name joined with '#'. Most
 * errors live in DynamoDB's own namespace; validation, serialization and authentication errors come
 * from the service framework underneath DynamoDB and carry its namespaces, which clients match on.
 */
public enum ErrorType {
  // Client errors: the request is wrong, retrying it unchanged fails again.
  VALIDATION("com.amazon.coral.validate", "ValidationException", 400, false),
  SERIALIZATION("com.amazon.coral.service", "SerializationException", 400, false),
  UNKNOWN_OPERATION("com.amazon.coral.service", "UnknownOperationException", 400, false),
  MISSING_AUTHENTICATION_TOKEN("com.amazon.coral.service", "MissingAuthenticationTokenException", 400, false),
  INCOMPLETE_SIGNATURE("com.amazon.coral.service", "IncompleteSignatureException", 400, false),
  INVALID_SIGNATURE("com.amazon.coral.service", "InvalidSignatureException", 400, false),
  UNRECOGNIZED_CLIENT("com.amazon.coral.service", "UnrecognizedClientException", 400, false),
  ACCESS_DENIED("com.amazon.coral.service", "AccessDeniedException", 400, false),
  REQUEST_ENTITY_TOO_LARGE("com.amazon.coral.service", "RequestEntityTooLarge", 413, false),
  RESOURCE_NOT_FOUND(DynamoDbNamespace.NAME, "ResourceNotFoundException", 400, false),
  RESOURCE_IN_USE(DynamoDbNamespace.NAME, "ResourceInUseException", 400, false),
  CONDITIONAL_CHECK_FAILED(DynamoDbNamespace.NAME, "ConditionalCheckFailedException", 400, false),
  ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED(DynamoDbNamespace.NAME, "ItemCollectionSizeLimitExceededException", 400, false),
  LIMIT_EXCEEDED(DynamoDbNamespace.NAME, "LimitExceededException", 400, false),
  TRANSACTION_CANCELED(DynamoDbNamespace.NAME, "TransactionCanceledException", 400, false),
  TRANSACTION_CONFLICT(DynamoDbNamespace.NAME, "TransactionConflictException", 400, true),
  IDEMPOTENT_PARAMETER_MISMATCH(DynamoDbNamespace.NAME, "IdempotentParameterMismatchException", 400, false),
  TABLE_NOT_FOUND(DynamoDbNamespace.NAME, "TableNotFoundException", 400, false),

  // Throttling: retry with back-off.
  PROVISIONED_THROUGHPUT_EXCEEDED(DynamoDbNamespace.NAME, "ProvisionedThroughputExceededException", 400, true),
  REQUEST_LIMIT_EXCEEDED(DynamoDbNamespace.NAME, "RequestLimitExceeded", 400, true),
  THROTTLING("com.amazon.coral.availability", "ThrottlingException", 400, true),

  // Server errors: our fault or a transient condition; safe to retry.
  INTERNAL_SERVER_ERROR(DynamoDbNamespace.NAME, "InternalServerError", 500, true),
  SERVICE_UNAVAILABLE("com.amazon.coral.availability", "ServiceUnavailableException", 503, true);

  private final String namespace;
  private final String errorName;
  private final int httpStatus;
  private final boolean retryable;

  ErrorType(String namespace, String errorName, int httpStatus, boolean retryable) {
    this.namespace = namespace;
    this.errorName = errorName;
    this.httpStatus = httpStatus;
    this.retryable = retryable;
  }

  /** The short name clients see as the error code, e.g. "ValidationException". */
  public String errorName() {
    return errorName;
  }

  /** The {@code __type} field of the error body. */
  public String wireType() {
    return namespace + "#" + errorName;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** Whether a client may safely send the same request again. */
  public boolean retryable() {
    return retryable;
  }

  private static final class DynamoDbNamespace {
    static final String NAME = "com.amazonaws.dynamodb.v20120810";
  }
}
