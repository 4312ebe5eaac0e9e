package io.cairn.expressions;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ExpressionAttributeNames and ExpressionAttributeValues of one request, shared by all of the
 * request's expressions.
 *
 * <p>Parsing an expression marks the placeholders it uses; after every expression of the request
 * is parsed, {@link #checkAllUsed()} refuses placeholders no expression used, as DynamoDB does.
 * Not thread-safe: one instance belongs to one request.
 */
public final class ExpressionAttributes {
  private final Map<String, String> names;
  private final Map<String, AttributeValue> values;
  private final Set<String> usedNames = new HashSet<>();
  private final Set<String> usedValues = new HashSet<>();

  /**
   * @param names the request's ExpressionAttributeNames, or null when the request has none
   * @param values the request's ExpressionAttributeValues, or null when the request has none
   * @throws DynamoDbException (VALIDATION) when a map is present but empty or has a bad key
   */
  public ExpressionAttributes(Map<String, String> names, Map<String, AttributeValue> values) {
    if (names != null) {
      if (names.isEmpty()) {
        throw DynamoDbException.validation("ExpressionAttributeNames must not be empty");
      }
      for (String key : names.keySet()) {
        if (!isPlaceholder(key, '#')) {
          throw DynamoDbException.validation(
              "ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + key + "\"");
        }
      }
      for (Map.Entry<String, String> entry : names.entrySet()) {
        if (entry.getValue() == null || entry.getValue().isEmpty()) {
          throw DynamoDbException.validation(
              "ExpressionAttributeNames contains invalid value: Empty attribute name; key: \""
                  + entry.getKey() + "\"");
        }
      }
    }
    if (values != null) {
      if (values.isEmpty()) {
        throw DynamoDbException.validation("ExpressionAttributeValues must not be empty");
      }
      for (String key : values.keySet()) {
        if (!isPlaceholder(key, ':')) {
          throw DynamoDbException.validation(
              "ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + key + "\"");
        }
      }
    }
    this.names = names == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(names));
    this.values = values == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** A request without ExpressionAttributeNames and ExpressionAttributeValues. */
  public static ExpressionAttributes none() {
    return new ExpressionAttributes(null, null);
  }

  private static boolean isPlaceholder(String key, char sigil) {
    if (key.length() < 2 || key.charAt(0) != sigil) {
      return false;
    }
    for (int i = 1; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /** The name a {@code #placeholder} stands for, marking it used; null when it is not defined. */
  String resolveName(String placeholder) {
    String name = names == null ? null : names.get(placeholder);
    if (name != null) {
      usedNames.add(placeholder);
    }
    return name;
  }

  /** The value a {@code :placeholder} stands for, marking it used; null when it is not defined. */
  AttributeValue resolveValue(String placeholder) {
    AttributeValue value = values == null ? null : values.get(placeholder);
    if (value != null) {
      usedValues.add(placeholder);
    }
    return value;
  }

  public boolean hasNames() {
    return names != null;
  }

  public boolean hasValues() {
    return values != null;
  }

  /**
   * Refuses placeholders that no parsed expression used. Call once, after parsing all of the
   * request's expressions.
   */
  public void checkAllUsed() {
    if (names != null) {
      List<String> unused = unused(names.keySet(), usedNames);
      if (!unused.isEmpty()) {
        throw DynamoDbException.validation(
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                + String.join(", ", unused) + "}");
      }
    }
    if (values != null) {
      List<String> unused = unused(values.keySet(), usedValues);
      if (!unused.isEmpty()) {
        throw DynamoDbException.validation(
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                + String.join(", ", unused) + "}");
      }
    }
  }

  private static List<String> unused(Set<String> defined, Set<String> used) {
    List<String> unused = new ArrayList<>();
    for (String key : defined) {
      if (!used.contains(key)) {
        unused.add(key);
      }
    }
    Collections.sort(unused);
    return unused;
  }
}
