package io.cairn.core.error;

import java.util.Objects;

/**
 * An error that reaches the client as a DynamoDB error body.
 *
 * <p>Thrown from validation and from the storage path; the router turns it into the HTTP status
 * and {@code {"__type": ..., "message": ...}} body of its {@link ErrorType}. Extra fields (such as
 * the item returned with ReturnValuesOnConditionCheckFailure, or cancellation reasons) travel in
 * {@link #detail()}. Stack traces are not filled in: these are expected outcomes, and they are
 * thrown on hot paths.
 */
public class DynamoDbException extends RuntimeException {
  private final ErrorType type;
  private final transient Object detail;

  public DynamoDbException(ErrorType type, String message) {
    this(type, message, null);
  }

  public DynamoDbException(ErrorType type, String message, Object detail) {
    super(message, null, false, false);
    this.type = Objects.requireNonNull(type, "type");
    this.detail = detail;
  }

  public ErrorType type() {
    return type;
  }

  /** Operation-specific payload for the error body, or null. */
  public Object detail() {
    return detail;
  }

  public static DynamoDbException validation(String message) {
    return new DynamoDbException(ErrorType.VALIDATION, message);
  }

  public static DynamoDbException serialization(String message) {
    return new DynamoDbException(ErrorType.SERIALIZATION, message);
  }

  public static DynamoDbException resourceNotFound(String message) {
    return new DynamoDbException(ErrorType.RESOURCE_NOT_FOUND, message);
  }

  public static DynamoDbException resourceInUse(String message) {
    return new DynamoDbException(ErrorType.RESOURCE_IN_USE, message);
  }

  public static DynamoDbException internal(String message) {
    return new DynamoDbException(ErrorType.INTERNAL_SERVER_ERROR, message);
  }

  @Override
  public String toString() {
    return type.errorName() + ": " + getMessage();
  }
}
