package io.cairn.server;

import java.nio.file.Path;

/**
 * How to run a single-process Cairn server.
 *
 * @param host address to bind; loopback unless credentials are configured
 * @param port TCP port; 0 picks a free one
 * @param dataDir where RocksDB keeps data; ignored when {@code inMemory}
 * @param inMemory keep everything in memory (lost at exit)
 * @param credentialsFile file of "ACCESS_KEY_ID SECRET_ACCESS_KEY" lines; null accepts any
 *     well-formed signature
 * @param tlsCert PEM certificate chain for HTTPS, or null for HTTP
 * @param tlsKey PEM private key for HTTPS, or null for HTTP
 */
public record CairnConfig(
    String host, int port, Path dataDir, boolean inMemory, Path credentialsFile, Path tlsCert, Path tlsKey) {

  public static CairnConfig defaults() {
    return new CairnConfig("127.0.0.1", 8000, Path.of("cairn-data"), false, null, null, null);
  }

  /** An in-memory server on a free loopback port: what most tests want. */
  public static CairnConfig forTests() {
    return new CairnConfig("127.0.0.1", 0, null, true, null, null, null);
  }

  public CairnConfig withHost(String value) {
    return new CairnConfig(value, port, dataDir, inMemory, credentialsFile, tlsCert, tlsKey);
  }

  public CairnConfig withPort(int value) {
    return new CairnConfig(host, value, dataDir, inMemory, credentialsFile, tlsCert, tlsKey);
  }

  public CairnConfig withDataDir(Path value) {
    return new CairnConfig(host, port, value, false, credentialsFile, tlsCert, tlsKey);
  }

  public CairnConfig withInMemory(boolean value) {
    return new CairnConfig(host, port, dataDir, value, credentialsFile, tlsCert, tlsKey);
  }

  public CairnConfig withCredentialsFile(Path value) {
    return new CairnConfig(host, port, dataDir, inMemory, value, tlsCert, tlsKey);
  }

  public CairnConfig withTls(Path cert, Path key) {
    return new CairnConfig(host, port, dataDir, inMemory, credentialsFile, cert, key);
  }
}
