package io.cairn.it.differential;

import java.util.Map;

/**
 * Steps where DynamoDB Local is known to differ from DynamoDB itself. Cairn follows DynamoDB's
 * documentation there (ARCHITECTURE.md's rule), so a difference on one of these labels is listed,
 * not failed. Each entry needs the reason; the list must stay short and match docs/compatibility.md.
 */
final class OracleDeviations {
  static final Map<String, String> BY_LABEL =
      Map.of(
          "PutItem/malformed-json",
          "DynamoDB Local 2.6.1 answers a truncated JSON body with 500 InternalFailure; DynamoDB answers"
              + " 400 SerializationException.");

  private OracleDeviations() {}
}
