package io.cairn.router.request;

import io.cairn.core.error.DynamoDbException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the request-shape violations that DynamoDB reports together, in its words:
 * "2 validation errors detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member
 * must have length greater than or equal to 3; Value null at 'keySchema' failed to satisfy
 * constraint: Member must not be null".
 */
public final class ConstraintViolations {
  private final List<String> violations = new ArrayList<>();

  public ConstraintViolations notNull(Object value, String memberPath) {
    if (value == null) {
      violations.add("Value null at '" + memberPath + "' failed to satisfy constraint: Member must not be null");
    }
    return this;
  }

  public ConstraintViolations add(Object value, String memberPath, String constraint) {
    violations.add("Value " + render(value) + " at '" + memberPath + "' failed to satisfy constraint: " + constraint);
    return this;
  }

  public ConstraintViolations lengthBetween(String value, String memberPath, int min, int max) {
    if (value == null) {
      return this;
    }
    if (value.length() < min) {
      add(value, memberPath, "Member must have length greater than or equal to " + min);
    } else if (value.length() > max) {
      add(value, memberPath, "Member must have length less than or equal to " + max);
    }
    return this;
  }

  public ConstraintViolations pattern(String value, String memberPath, String regex) {
    if (value != null && !value.matches(regex)) {
      add(value, memberPath, "Member must satisfy regular expression pattern: " + regex);
    }
    return this;
  }

  public ConstraintViolations range(Long value, String memberPath, long min, long max) {
    if (value == null) {
      return this;
    }
    if (value < min) {
      add(value, memberPath, "Member must have value greater than or equal to " + min);
    } else if (value > max) {
      add(value, memberPath, "Member must have value less than or equal to " + max);
    }
    return this;
  }

  public ConstraintViolations oneOf(String value, String memberPath, List<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      add(value, memberPath, "Member must satisfy enum value set: [" + String.join(", ", allowed) + "]");
    }
    return this;
  }

  public boolean isEmpty() {
    return violations.isEmpty();
  }

  /** Throws the ValidationException DynamoDB would, if anything was collected. */
  public void throwIfAny() {
    if (violations.isEmpty()) {
      return;
    }
    int count = violations.size();
    String header = count + " validation error" + (count == 1 ? "" : "s") + " detected: ";
    throw DynamoDbException.validation(header + String.join("; ", violations));
  }

  private static String render(Object value) {
    if (value instanceof String s) {
      return "'" + s + "'";
    }
    return String.valueOf(value);
  }
}
