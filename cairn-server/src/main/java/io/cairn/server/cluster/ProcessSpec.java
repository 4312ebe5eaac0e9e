package io.cairn.server.cluster;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One process of a local cluster, as the topology file names it.
 *
 * @param name operator-facing name, by role and AZ: {@code storage-az1-1}, {@code metadata-az2-1},
 *     {@code router-1}, {@code endpoint-1}
 * @param role what it runs
 * @param az its availability zone ({@code az1}…); routers and the endpoint manager have one too
 * @param host the address it binds (routers: their own loopback address, 127.0.1.N)
 * @param port its main port: the Ratis server's for METADATA and STORAGE, HTTP for ROUTER, DNS for ENDPOINT
 * @param dataDir its own data directory
 * @param logFile where its log lines go
 */
public record ProcessSpec(String name, Role role, String az, String host, int port, Path dataDir, Path logFile) {
  public ProcessSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(az, "az");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(logFile, "logFile");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(name + ": port " + port);
    }
  }

  /** host:port, the way Ratis peers and clients address it. */
  public String address() {
    return host + ":" + port;
  }
}
