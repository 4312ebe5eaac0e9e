package io.cairn.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.it.support.ClusterPorts;
import io.cairn.server.cluster.ClusterOptions;
import io.cairn.server.cluster.ClusterTopology;
import io.cairn.server.cluster.ProcessPlacement;
import io.cairn.server.cluster.ProcessSpec;
import io.cairn.server.cluster.Role;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-injecting transport of the unprivileged network-partition test, on plain sockets: a
 * relay copies bytes both ways, a cut one lets nothing through in either direction (on open
 * connections and new ones) and a restored one delivers what it held, in order; a relay network
 * names each storage node so that it reaches the others only through its relays.
 */
class RelayNetworkTest {
  /** Long enough for bytes that should cross to cross on a loaded machine. */
  static final int ARRIVES_MS = 10_000;
  /** How long a cut relay is watched for leaks: bytes through a working relay take well under 1 ms. */
  static final int HELD_MS = 300;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  @Test
  void aCutRelayHoldsBytesBothWaysOnOldAndNewConnectionsAndARestoredOneDeliversThemInOrder() throws Exception {
    InetSocketAddress echo = echoServer(new InetSocketAddress("127.0.0.1", 0));
    Relay relay = keep(Relay.start("test", new InetSocketAddress("127.0.0.1", 0), echo));

    Socket before = keep(connect(relay.address()));
    send(before, "abc");
    assertThat(receive(before, 3, ARRIVES_MS)).isEqualTo("abc");

    relay.cut();
    send(before, "def");
    assertThat(receive(before, 1, HELD_MS)).as("bytes through a cut relay").isNull();
    Socket during = keep(connect(relay.address())); // accepted, never joined while cut
    send(during, "xyz");
    assertThat(receive(during, 1, HELD_MS)).as("bytes on a connection opened while cut").isNull();
    send(before, "ghi");

    relay.restore();
    assertThat(receive(before, 6, ARRIVES_MS)).isEqualTo("defghi");
    assertThat(receive(during, 3, ARRIVES_MS)).isEqualTo("xyz");
  }

  @Test
  void eachStorageNodeReachesTheOthersThroughItsOwnRelaysAndIsolatingOneLeavesTheOtherLinks() throws Exception {
    ClusterOptions options = ClusterPorts.find(1).applyTo(ClusterOptions.defaults(dir)).withShape(3, 1, 1);
    ClusterTopology layout = options.layout();
    RelayNetwork network = keep(RelayNetwork.create(layout, new SplittableRandom(7)));
    ProcessPlacement placement = network.placement();
    ClusterTopology placed = placement.place(layout);
    List<ProcessSpec> storage = placed.byRole(Role.STORAGE);
    assertThat(storage).hasSize(3);

    // Each node listens on the address its name has for the routers and the test.
    List<InetSocketAddress> nodes = new ArrayList<>();
    for (ProcessSpec node : storage) {
      assertThat(node.host()).endsWith("." + RelayHostNames.DOMAIN);
      InetAddress own = InetAddress.getByName(node.host()); // through RelayHostNames, in this JVM
      nodes.add(echoServer(new InetSocketAddress(own, node.port())));
    }
    // Every process gets a hosts file; a storage node's names its peers by their relays.
    for (ProcessSpec p : placed.processes()) {
      assertThat(placement.jvmOptions(p.name())).singleElement().asString().startsWith("-Djdk.net.hosts.file=");
    }
    String a = storage.get(0).name();
    String b = storage.get(1).name();
    String c = storage.get(2).name();
    InetSocketAddress aToB = seenBy(placement, a, storage.get(1));
    InetSocketAddress bToC = seenBy(placement, b, storage.get(2));
    InetSocketAddress routerToA = seenBy(placement, placed.byRole(Role.ROUTER).getFirst().name(), storage.get(0));
    assertThat(aToB.getAddress()).isNotEqualTo(nodes.get(1).getAddress());
    assertThat(routerToA).isEqualTo(nodes.get(0));
    assertThat(seenBy(placement, a, storage.get(0))).isEqualTo(nodes.get(0));

    Socket ab = keep(connect(aToB));
    Socket bc = keep(connect(bToC));
    send(ab, "1");
    assertThat(receive(ab, 1, ARRIVES_MS)).isEqualTo("1");

    network.isolate(a);
    send(ab, "2");
    send(bc, "3");
    assertThat(receive(bc, 1, ARRIVES_MS)).as("a link between two nodes that are not cut off").isEqualTo("3");
    Socket router = keep(connect(routerToA));
    send(router, "4");
    assertThat(receive(router, 1, ARRIVES_MS)).as("a router's path to the cut-off node").isEqualTo("4");
    assertThat(receive(ab, 1, HELD_MS)).as("bytes from the cut-off node to another").isNull();
    Socket ca = keep(connect(seenBy(placement, c, storage.get(0))));
    send(ca, "5");
    assertThat(receive(ca, 1, HELD_MS)).as("bytes from another node to the cut-off one").isNull();
    assertThat(network.describe(a)).contains("CUT").doesNotContain(b + "->" + c);

    network.heal(a);
    assertThat(receive(ab, 1, ARRIVES_MS)).isEqualTo("2");
    assertThat(receive(ca, 1, ARRIVES_MS)).isEqualTo("5");
    assertThatThrownBy(() -> network.isolate("router-1")).isInstanceOf(IllegalArgumentException.class);
  }

  /** Where process {@code viewer}'s hosts file sends a connection to {@code node}. */
  private static InetSocketAddress seenBy(ProcessPlacement placement, String viewer, ProcessSpec node) throws IOException {
    Path hosts = Path.of(placement.jvmOptions(viewer).getFirst().substring("-Djdk.net.hosts.file=".length()));
    for (String line : Files.readAllLines(hosts, StandardCharsets.US_ASCII)) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length == 2 && fields[1].equals(node.host())) {
        return new InetSocketAddress(InetAddress.getByName(fields[0]), node.port());
      }
    }
    throw new AssertionError(node.host() + " is not in " + viewer + "'s hosts file " + hosts);
  }

  private InetSocketAddress echoServer(InetSocketAddress at) throws IOException {
    ServerSocket server = keep(new ServerSocket());
    server.bind(at);
    Thread.ofVirtual().start(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          open.add(s);
          Thread.ofVirtual().start(() -> {
            try {
              s.getInputStream().transferTo(s.getOutputStream());
            } catch (IOException e) {
              // closed at the end of the test
            }
          });
        } catch (IOException e) {
          return;
        }
      }
    });
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  private static Socket connect(InetSocketAddress to) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(to, ARRIVES_MS);
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
  }

  /** {@code n} bytes read within {@code ms}, or null when none came. */
  private static String receive(Socket s, int n, int ms) throws IOException {
    s.setSoTimeout(ms);
    InputStream in = s.getInputStream();
    byte[] bytes = new byte[n];
    int got = 0;
    try {
      while (got < n) {
        int r = in.read(bytes, got, n - got);
        if (r < 0) {
          throw new AssertionError("connection closed after " + got + " of " + n + " bytes");
        }
        got += r;
      }
    } catch (SocketTimeoutException e) {
      if (got == 0) {
        return null;
      }
      throw new AssertionError("only " + got + " of " + n + " bytes within " + ms + " ms");
    }
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  private <T extends AutoCloseable> T keep(T c) {
    open.add(c);
    return c;
  }
}
