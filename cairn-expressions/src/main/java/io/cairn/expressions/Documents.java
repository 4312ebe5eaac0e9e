package io.cairn.expressions;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and rewrites values at document paths without mutating anything it is given. */
final class Documents {
  private Documents() {}

  static final String INVALID_PATH_FOR_UPDATE =
      "The document path provided in the update expression is invalid for update";

  /** The value at {@code path}, or null when the path does not lead to a value. */
  static AttributeValue get(Map<String, AttributeValue> item, DocumentPath path) {
    AttributeValue current = item.get(path.topLevelName());
    for (int i = 1; i < path.size() && current != null; i++) {
      current = step(current, path.get(i));
    }
    return current;
  }

  private static AttributeValue step(AttributeValue container, DocumentPath.Element element) {
    return switch (element) {
      case DocumentPath.Name name ->
          container instanceof AttributeValue.M m ? m.value().get(name.name()) : null;
      case DocumentPath.Index index ->
          container instanceof AttributeValue.L l && index.index() < l.value().size()
              ? l.value().get(index.index())
              : null;
    };
  }

  /**
   * Writes {@code value} at {@code path} in {@code item} (a mutable copy owned by the caller).
   * Intermediate containers must exist and have the right type; an index past the end of a list
   * appends.
   */
  static void set(Map<String, AttributeValue> item, DocumentPath path, AttributeValue value) {
    if (path.size() == 1) {
      item.put(path.topLevelName(), value);
      return;
    }
    AttributeValue top = item.get(path.topLevelName());
    if (top == null) {
      throw DynamoDbException.validation(INVALID_PATH_FOR_UPDATE);
    }
    item.put(path.topLevelName(), setIn(top, path, 1, value));
  }

  private static AttributeValue setIn(
      AttributeValue container, DocumentPath path, int position, AttributeValue value) {
    boolean last = position == path.size() - 1;
    switch (path.get(position)) {
      case DocumentPath.Name name -> {
        if (!(container instanceof AttributeValue.M m)) {
          throw DynamoDbException.validation(INVALID_PATH_FOR_UPDATE);
        }
        Map<String, AttributeValue> copy = new LinkedHashMap<>(m.value());
        if (last) {
          copy.put(name.name(), value);
        } else {
          AttributeValue child = copy.get(name.name());
          if (child == null) {
            throw DynamoDbException.validation(INVALID_PATH_FOR_UPDATE);
          }
          copy.put(name.name(), setIn(child, path, position + 1, value));
        }
        return new AttributeValue.M(copy);
      }
      case DocumentPath.Index index -> {
        if (!(container instanceof AttributeValue.L l)) {
          throw DynamoDbException.validation(INVALID_PATH_FOR_UPDATE);
        }
        List<AttributeValue> copy = new ArrayList<>(l.value());
        int at = index.index();
        if (last) {
          if (at >= copy.size()) {
            copy.add(value);
          } else {
            copy.set(at, value);
          }
        } else {
          if (at >= copy.size()) {
            throw DynamoDbException.validation(INVALID_PATH_FOR_UPDATE);
          }
          copy.set(at, setIn(copy.get(at), path, position + 1, value));
        }
        return new AttributeValue.L(copy);
      }
    }
  }

  /**
   * Removes the value at {@code path} from {@code item} (a mutable copy owned by the caller).
   * Removing something absent is a no-op; a path through a missing or wrong-typed parent is
   * refused as DynamoDB refuses it.
   */
  static void remove(Map<String, AttributeValue> item, DocumentPath path) {
    if (path.size() == 1) {
      item.remove(path.topLevelName());
      return;
    }
    AttributeValue top = item.get(path.topLevelName());
    if (top == null) {
      throw DynamoDbException.validation(INVALID_PATH_FOR_UPDATE);
    }
    item.put(path.topLevelName(), removeIn(top, path, 1));
  }

  private static AttributeValue removeIn(AttributeValue container, DocumentPath path, int position) {
    boolean last = position == path.size() - 1;
    switch (path.get(position)) {
      case DocumentPath.Name name -> {
        if (!(container instanceof AttributeValue.M m)) {
          throw DynamoDbException.validation(INVALID_PATH_FOR_UPDATE);
        }
        AttributeValue child = m.value().get(name.name());
        if (child == null) {
          if (last) {
            return container;
          }
          throw DynamoDbException.validation(INVALID_PATH_FOR_UPDATE);
        }
        Map<String, AttributeValue> copy = new LinkedHashMap<>(m.value());
        if (last) {
          copy.remove(name.name());
        } else {
          copy.put(name.name(), removeIn(child, path, position + 1));
        }
        return new AttributeValue.M(copy);
      }
      case DocumentPath.Index index -> {
        if (!(container instanceof AttributeValue.L l)) {
          throw DynamoDbException.validation(INVALID_PATH_FOR_UPDATE);
        }
        int at = index.index();
        if (at >= l.value().size()) {
          if (last) {
            return container;
          }
          throw DynamoDbException.validation(INVALID_PATH_FOR_UPDATE);
        }
        List<AttributeValue> copy = new ArrayList<>(l.value());
        if (last) {
          copy.remove(at);
        } else {
          copy.set(at, removeIn(copy.get(at), path, position + 1));
        }
        return new AttributeValue.L(copy);
      }
    }
  }
}
