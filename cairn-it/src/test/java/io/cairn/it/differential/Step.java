package io.cairn.it.differential;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One generated request. Generation never looks at responses, so both targets receive the same
 * sequence; paging is the exception, and it is done by the runner per target ({@link Mode}).
 *
 * @param index position in the run, for replay ({@code -Dcairn.diff.seed=S} reproduces step N)
 * @param operation the X-Amz-Target operation name (may be deliberately unknown)
 * @param body the JSON body; {@code rawBody} overrides it for malformed-JSON cases
 * @param mode how the runner sends it
 * @param label what the generator meant, e.g. "PutItem/oversized+1" (printed in diffs)
 */
public record Step(int index, String operation, ObjectNode body, String rawBody, Mode mode, String label) {
  public enum Mode {
    /** One request, one response. */
    SINGLE,
    /** Query followed page by page via LastEvaluatedKey; every page compared in order. */
    QUERY_ALL_PAGES,
    /**
     * Scan followed to the end, across every segment when TotalSegments is set; compared as the
     * union of items and the summed counts, because item order across hash partitions and the split
     * into segments are the implementation's choice.
     */
    SCAN_ALL_PAGES
  }

  public String bodyText() {
    return rawBody != null ? rawBody : body.toString();
  }
}
