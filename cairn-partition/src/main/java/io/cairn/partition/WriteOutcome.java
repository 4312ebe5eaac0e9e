package io.cairn.partition;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import java.util.Map;

/** What applying one {@link WriteCommand} did. */
public sealed interface WriteOutcome {

  /**
   * The command was applied.
   *
   * @param returned the attributes ReturnValues asked for (empty for NONE or when nothing applies)
   * @param oldItemBytes size of the item before the write (0 if absent), for capacity units
   * @param newItemBytes size of the item after the write (0 if deleted or absent)
   */
  record Applied(Map<String, AttributeValue> returned, long oldItemBytes, long newItemBytes) implements WriteOutcome {}

  /**
   * The condition did not hold; nothing was written.
   *
   * @param currentItem the item as it is, when the command asked for it; otherwise null
   * @param currentItemBytes size of the current item (0 if absent), for capacity units
   */
  record ConditionFailed(Map<String, AttributeValue> currentItem, long currentItemBytes) implements WriteOutcome {}

  /** The command was invalid against the current item (e.g. an update of the wrong type). */
  record Rejected(DynamoDbException error) implements WriteOutcome {}
}
