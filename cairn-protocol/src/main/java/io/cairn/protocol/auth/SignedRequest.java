package io.cairn.protocol.auth;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The parts of an HTTP request that AWS Signature Version 4 covers, as they arrived on the wire.
 *
 * <p>An interface rather than a record so that the HTTP layer can answer from its own header
 * structures without copying them.
 */
public interface SignedRequest {
  /** The HTTP method, e.g. "POST". */
  String method();

  /** The path exactly as sent, still percent-encoded, without the query string; "" is read as "/". */
  String rawPath();

  /** The query string exactly as sent, without the '?', or "" when there is none. */
  String rawQuery();

  /** Every value of the header with this lower-case name, in arrival order; empty when absent. */
  List<String> headerValues(String lowerCaseName);

  /**
   * The body bytes as received (before any Content-Encoding is undone), since the signature
   * covers what was sent. The buffer is read from its position to its limit and may be consumed.
   */
  ByteBuffer body();
}
