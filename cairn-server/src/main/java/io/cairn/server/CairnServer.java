package io.cairn.server;

import java.net.URI;

/**
 * A running single-process Cairn: every role in one JVM. Tests start one with
 * {@code CairnServer.start(CairnConfig.forTests())} and point an SDK client at {@link #endpoint()}.
 */
public final class CairnServer implements AutoCloseable {
  private final URI endpoint;

  private CairnServer(URI endpoint) {
    this.endpoint = endpoint;
  }

  /** Starts a server and returns once it accepts requests. */
  public static CairnServer start(CairnConfig config) {
    throw new UnsupportedOperationException("wired up in the core API issue; not yet built");
  }

  /** The base URI clients use, e.g. http://127.0.0.1:8000. */
  public URI endpoint() {
    return endpoint;
  }

  /** Stops accepting requests, finishes those in flight, flushes and closes storage. */
  @Override
  public void close() {}
}
