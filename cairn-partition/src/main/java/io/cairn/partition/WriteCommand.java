package io.cairn.partition;

import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.ConditionExpression;
import io.cairn.expressions.UpdateExpression;
import java.util.Map;
import java.util.Objects;

/**
 * A mutation of one item, as it enters a partition's command log. Commands are applied in log
 * order, one at a time, against the item's current state, so a condition and the write it guards
 * are atomic. Applying a command is deterministic: every replica that applies the same log reaches
 * the same state.
 */
public sealed interface WriteCommand {

  /** The item's key in the storage engine. */
  byte[] storageKey();

  /** The item's primary-key attributes. */
  Map<String, AttributeValue> key();

  /** The condition that must hold against the current item, or null. */
  ConditionExpression condition();

  /** Whether a failed condition returns the current item (ReturnValuesOnConditionCheckFailure). */
  boolean returnItemOnConditionFailure();

  ReturnValues returnValues();

  /** Replaces the whole item. */
  record Put(
      byte[] storageKey,
      Map<String, AttributeValue> key,
      Map<String, AttributeValue> item,
      ConditionExpression condition,
      ReturnValues returnValues,
      boolean returnItemOnConditionFailure)
      implements WriteCommand {
    public Put {
      Objects.requireNonNull(item, "item");
    }
  }

  /** Changes the item, creating it when it does not exist. */
  record Update(
      byte[] storageKey,
      Map<String, AttributeValue> key,
      UpdateExpression update,
      ConditionExpression condition,
      ReturnValues returnValues,
      boolean returnItemOnConditionFailure)
      implements WriteCommand {}

  /** Removes the item; removing an absent item succeeds. */
  record Delete(
      byte[] storageKey,
      Map<String, AttributeValue> key,
      ConditionExpression condition,
      ReturnValues returnValues,
      boolean returnItemOnConditionFailure)
      implements WriteCommand {}

  /** Checks a condition and writes nothing (a transaction's ConditionCheck). */
  record Check(
      byte[] storageKey,
      Map<String, AttributeValue> key,
      ConditionExpression condition,
      boolean returnItemOnConditionFailure)
      implements WriteCommand {
    @Override
    public ReturnValues returnValues() {
      return ReturnValues.NONE;
    }
  }
}
