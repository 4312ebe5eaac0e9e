package io.cairn.it.support;

import io.cairn.server.cluster.ClusterOptions;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.SplittableRandom;

/**
 * Ports for a test's local cluster, free a moment ago: one router port free on every router's
 * address (127.0.1.N), a DNS port free for UDP and TCP, three consecutive ports for the metadata
 * members and one per storage node after them (free on loopback and the wildcard address). Chosen at
 * random in 20000–50000, so that two test JVMs on one machine rarely collide.
 */
public record ClusterPorts(int router, int dns, int metadataBase, int storageBase) {
  static final int ATTEMPTS_MAX = 200;
  static final int METADATA_PORTS = 3;

  /** Ports for a cluster of three storage nodes. */
  public static ClusterPorts find(int routers) {
    return find(routers, 3);
  }

  public static ClusterPorts find(int routers, int storageNodes) {
    SplittableRandom random = new SplittableRandom();
    for (int attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
      int base = 20_000 + random.nextInt(30_000);
      ClusterPorts p = new ClusterPorts(base, base + 1, base + 2, base + 5);
      boolean free = tcpFree(ClusterOptions.LOCAL_HOST, p.dns()) && udpFree(p.dns());
      for (int r = 1; free && r <= routers; r++) {
        free = tcpFree(ClusterOptions.ROUTER_HOST_PREFIX + r, p.router());
      }
      for (int port = p.metadataBase(); free && port < p.metadataBase() + METADATA_PORTS + storageNodes; port++) {
        free = tcpFree(ClusterOptions.LOCAL_HOST, port) && tcpFree("0.0.0.0", port);
      }
      if (free) {
        return p;
      }
    }
    throw new IllegalStateException("no free port range for a test cluster after " + ATTEMPTS_MAX + " attempts");
  }

  /** {@code options} listening on these ports. */
  public ClusterOptions applyTo(ClusterOptions options) {
    return options.withPorts(router, dns, metadataBase, storageBase);
  }

  private static boolean tcpFree(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean udpFree(int port) {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(ClusterOptions.LOCAL_HOST, port))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
