package io.cairn.partition;

import io.cairn.core.Limits;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import io.cairn.core.value.ItemSize;
import io.cairn.expressions.UpdateExpression;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The semantics of one write against one item, with no I/O: given the current item, decide the
 * new item and what to return. This is the function every replica applies in log order.
 */
public final class ItemMutation {
  private ItemMutation() {}

  /**
   * The result: the item to store (null to delete, {@link #UNCHANGED} to leave as is) and the
   * outcome to report.
   */
  public record Result(Map<String, AttributeValue> newItem, WriteOutcome outcome) {}

  /** Marker for "write nothing". */
  public static final Map<String, AttributeValue> UNCHANGED = Map.of();

  /**
   * Applies {@code command} to {@code current}.
   *
   * @param current the item as stored, or null when absent
   */
  public static Result apply(WriteCommand command, Map<String, AttributeValue> current) {
    Map<String, AttributeValue> existing = current == null ? Map.of() : current;
    long oldBytes = current == null ? 0 : ItemSize.of(current);
    if (command.condition() != null && !command.condition().test(existing)) {
      Map<String, AttributeValue> returned =
          command.returnItemOnConditionFailure() && current != null ? current : null;
      return new Result(UNCHANGED, new WriteOutcome.ConditionFailed(returned, oldBytes));
    }
    return switch (command) {
      case WriteCommand.Put put -> {
        long newBytes = ItemSize.of(put.item());
        Map<String, AttributeValue> returned =
            put.returnValues() == ReturnValues.ALL_OLD && current != null ? current : Map.of();
        yield new Result(put.item(), new WriteOutcome.Applied(returned, oldBytes, newBytes));
      }
      case WriteCommand.Delete delete -> {
        Map<String, AttributeValue> returned =
            delete.returnValues() == ReturnValues.ALL_OLD && current != null ? current : Map.of();
        yield new Result(current == null ? UNCHANGED : null, new WriteOutcome.Applied(returned, oldBytes, 0));
      }
      case WriteCommand.Update update -> applyUpdate(update, current, existing, oldBytes);
      case WriteCommand.Check ignored -> new Result(UNCHANGED, new WriteOutcome.Applied(Map.of(), oldBytes, oldBytes));
    };
  }

  private static Result applyUpdate(
      WriteCommand.Update command, Map<String, AttributeValue> current, Map<String, AttributeValue> existing,
      long oldBytes) {
    Map<String, AttributeValue> updated;
    if (command.update() == null) {
      // UpdateItem with no update at all still creates the item from its key.
      updated = new LinkedHashMap<>(existing);
    } else {
      try {
        updated = new LinkedHashMap<>(command.update().apply(existing));
      } catch (DynamoDbException e) {
        return new Result(UNCHANGED, new WriteOutcome.Rejected(e));
      }
    }
    // The key attributes always stand in the item, also when the update created it.
    updated.putAll(command.key());
    if (nestingDepth(updated) > Limits.NESTING_DEPTH_MAX) {
      return new Result(UNCHANGED, new WriteOutcome.Rejected(
          DynamoDbException.validation("Nesting Levels have exceeded supported limits")));
    }
    long newBytes = ItemSize.of(updated);
    if (newBytes > Limits.ITEM_BYTES_MAX) {
      return new Result(UNCHANGED, new WriteOutcome.Rejected(
          DynamoDbException.validation("Item size to update has exceeded the maximum allowed size")));
    }
    Map<String, AttributeValue> returned = switch (command.returnValues()) {
      case NONE -> Map.of();
      case ALL_OLD -> current == null ? Map.of() : current;
      case ALL_NEW -> updated;
      case UPDATED_OLD -> current == null ? Map.of() : updatedPart(command.update(), existing);
      case UPDATED_NEW -> updatedPart(command.update(), updated);
    };
    return new Result(updated, new WriteOutcome.Applied(returned, oldBytes, newBytes));
  }

  /** Levels of maps and lists inside the item: a top-level map or list counts as 1. */
  static int nestingDepth(Map<String, AttributeValue> item) {
    int deepest = 0;
    for (AttributeValue value : item.values()) {
      deepest = Math.max(deepest, depth(value));
    }
    return deepest;
  }

  private static int depth(AttributeValue value) {
    return switch (value) {
      case AttributeValue.M m -> 1 + nestingDepth(m.value());
      case AttributeValue.L l -> {
        int deepest = 0;
        for (AttributeValue element : l.value()) {
          deepest = Math.max(deepest, depth(element));
        }
        yield 1 + deepest;
      }
      default -> 0;
    };
  }

  /**
   * The updated attributes of {@code item}, for UPDATED_OLD and UPDATED_NEW: every top-level
   * attribute the update touches, whole (an update of {@code a.b} or {@code a[0]} returns all of
   * {@code a}), as DynamoDB returns them; an attribute absent from {@code item} is left out.
   */
  private static Map<String, AttributeValue> updatedPart(UpdateExpression update, Map<String, AttributeValue> item) {
    if (update == null) {
      return Map.of();
    }
    Map<String, AttributeValue> part = new LinkedHashMap<>();
    for (String attribute : update.topLevelAttributeNames()) {
      AttributeValue value = item.get(attribute);
      if (value != null) {
        part.put(attribute, value);
      }
    }
    return part;
  }

}
