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
  record Applied(
      Map<String, AttributeValue> returned, long oldItemBytes, long newItemBytes, java.util.List<IndexUnits> indexUnits)
      implements WriteOutcome {
    public Applied {
      indexUnits = java.util.List.copyOf(indexUnits);
    }

    /** An outcome that wrote no secondary index. */
    public Applied(Map<String, AttributeValue> returned, long oldItemBytes, long newItemBytes) {
      this(returned, oldItemBytes, newItemBytes, java.util.List.of());
    }
  }

  /**
   * Write capacity one secondary index consumed for a write, by DynamoDB's rule: an entry put or
   * removed costs one unit per started KB of the projected entry, an entry updated in place the
   * larger of old and new, an entry whose index key changed both (delete and put); an entry the
   * write did not change costs nothing.
   */
  record IndexUnits(String indexName, boolean global, double units) {}

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
