package io.cairn.it.chaos;

import io.cairn.server.cluster.ClusterTopology;
import io.cairn.server.cluster.ProcessPlacement;
import io.cairn.server.cluster.ProcessSpec;
import io.cairn.server.cluster.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A fault-injecting transport for runs without root: every storage node reaches every other one
 * through a {@link Relay} of its own in the test's JVM, one per direction of each link, so the
 * test can cut a node off by stopping its relays. No kernel state is touched; the nodes run
 * unmodified, and only their name resolution differs.
 *
 * <p>How a node's traffic finds its relays: each storage node binds an address of its own on
 * loopback ({@code 127.A.B.m} for member m, port as laid out) and is named in the topology by a
 * host name ({@code storage-az1-1.TAG.cairn-relay.test}). Each process of the cluster gets a hosts
 * file ({@code -Djdk.net.hosts.file}): in storage node m's, its own name is its own address and
 * node n's name is the relay for m → n ({@code 127.A.B.(10m+n)}, node n's port), which joins it to
 * node n; in every other process's (routers, metadata members, endpoint manager) each name is the
 * node's own address. The test's JVM resolves the names the same way ({@link RelayHostNames}).
 *
 * <pre>
 *   storage 1 ──▶ relay 1→2 (127.A.B.12:P2) ──▶ storage 2 (127.A.B.2:P2)
 *   storage 2 ──▶ relay 2→1 (127.A.B.21:P1) ──▶ storage 1 (127.A.B.1:P1)
 *   routers, metadata, test ───────────────────▶ storage n (127.A.B.n:Pn)
 * </pre>
 *
 * <p>Ratis's peer traffic runs on connections each node opens to the other (a leader's appends and
 * a candidate's vote requests go out on its own connections; replies come back on them), so
 * cutting both directions of each link of a node — the relays to it and from it — leaves no path
 * between it and the other storage nodes, and leaves its clients' paths open.
 */
final class RelayNetwork implements ChaosNetwork {
  /** Relay addresses are 127.A.B.(10m+n): at most 9 members. */
  static final int MEMBERS_MAX = 9;
  static final int ATTEMPTS_MAX = 20;

  private record Link(int from, int to, Relay relay) {}

  private final String prefix;
  private final String tag;
  private final Path dir;
  /** Storage node name → member number (1-based, layout order). */
  private final Map<String, Integer> members;
  private final List<Link> links;
  /** Storage nodes named by their host names, every process with its hosts file. */
  private final ProcessPlacement placement;

  private RelayNetwork(String prefix, String tag, Path dir, Map<String, Integer> members, List<Link> links,
      ProcessPlacement placement) {
    this.prefix = prefix;
    this.tag = tag;
    this.dir = dir;
    this.members = members;
    this.links = links;
    this.placement = placement;
  }

  /**
   * Starts the relays between {@code layout}'s storage nodes, on a 127.A.B.0/24 where every relay
   * could bind, and writes the hosts files; the cluster then starts with {@link #placement}.
   */
  static RelayNetwork create(ClusterTopology layout, SplittableRandom random) {
    List<ProcessSpec> storage = layout.byRole(Role.STORAGE);
    if (storage.size() > MEMBERS_MAX) {
      throw new IllegalArgumentException(storage.size() + " storage nodes; a relay network takes " + MEMBERS_MAX);
    }
    IOException last = null;
    for (int attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
      String prefix = "127." + (100 + random.nextInt(100)) + "." + random.nextInt(250) + ".";
      String tag = String.format("%04x", random.nextInt(1 << 16));
      try {
        return build(layout, storage, prefix, tag);
      } catch (IOException e) {
        last = e; // an address in use: another subnet
      }
    }
    throw new IllegalStateException("no 127.A.B.0/24 where the relays could listen after " + ATTEMPTS_MAX
        + " attempts: " + last, last);
  }

  private static RelayNetwork build(ClusterTopology layout, List<ProcessSpec> storage, String prefix, String tag)
      throws IOException {
    Map<String, Integer> members = new LinkedHashMap<>();
    Map<String, String> hostNames = new LinkedHashMap<>();
    for (ProcessSpec p : storage) {
      members.put(p.name(), members.size() + 1);
      hostNames.put(p.name(), p.name() + "." + tag + "." + RelayHostNames.DOMAIN);
    }
    List<Link> links = new ArrayList<>();
    try {
      for (ProcessSpec from : storage) {
        for (ProcessSpec to : storage) {
          int f = members.get(from.name());
          int t = members.get(to.name());
          if (f != t) {
            Relay relay = Relay.start(from.name() + "->" + to.name(),
                new InetSocketAddress(addressSeenBy(prefix, f, t), to.port()),
                new InetSocketAddress(addressSeenBy(prefix, t, t), to.port()));
            links.add(new Link(f, t, relay));
          }
        }
      }
    } catch (IOException e) {
      links.forEach(l -> l.relay().close());
      throw e;
    }
    Path dir = Files.createTempDirectory("cairn-relay-" + tag + "-");
    String machine = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
    String head = "127.0.0.1 localhost" + (machine.isEmpty() ? "" : " " + machine) + "\n";
    Map<String, List<String>> jvmOptions = new HashMap<>();
    StringBuilder outside = new StringBuilder(head);
    for (ProcessSpec p : storage) {
      outside.append(prefix).append(members.get(p.name())).append(' ').append(hostNames.get(p.name())).append('\n');
    }
    Path outsideFile = dir.resolve("hosts-outside");
    Files.writeString(outsideFile, outside, StandardCharsets.US_ASCII);
    for (ProcessSpec self : storage) {
      int m = members.get(self.name());
      StringBuilder hosts = new StringBuilder(head);
      for (ProcessSpec other : storage) {
        int n = members.get(other.name());
        hosts.append(addressSeenBy(prefix, m, n)).append(' ').append(hostNames.get(other.name())).append('\n');
      }
      Path file = dir.resolve("hosts-" + self.name());
      Files.writeString(file, hosts, StandardCharsets.US_ASCII);
      jvmOptions.put(self.name(), List.of(hostsFileOption(file)));
    }
    for (ProcessSpec p : layout.processes()) {
      jvmOptions.putIfAbsent(p.name(), List.of(hostsFileOption(outsideFile)));
    }
    for (ProcessSpec p : storage) {
      RelayHostNames.register(hostNames.get(p.name()), InetAddress.getByName(prefix + members.get(p.name())));
    }
    return new RelayNetwork(prefix, tag, dir, members, links, new ProcessPlacement(hostNames, Map.of(), jvmOptions));
  }

  /**
   * Where member {@code from} reaches member {@code to}: its own address ({@code 127.A.B.to}) when
   * they are the same node, else the relay of that link ({@code 127.A.B.(10·from + to)}).
   */
  private static String addressSeenBy(String prefix, int from, int to) {
    return prefix + (from == to ? to : 10 * from + to);
  }

  private static String hostsFileOption(Path file) {
    return "-Djdk.net.hosts.file=" + file;
  }

  /** Storage nodes named by their host names, every process with its hosts file. */
  ProcessPlacement placement() {
    return placement;
  }

  @Override
  public void isolate(String storageNode) {
    int m = member(storageNode);
    links.stream().filter(l -> l.from() == m || l.to() == m).forEach(l -> l.relay().cut());
  }

  @Override
  public void heal(String storageNode) {
    int m = member(storageNode);
    links.stream().filter(l -> l.from() == m || l.to() == m).forEach(l -> l.relay().restore());
  }

  @Override
  public String describe(String storageNode) {
    int m = member(storageNode);
    return String.join("\n", links.stream().filter(l -> l.from() == m || l.to() == m)
        .map(l -> l.relay().toString()).toList());
  }

  private int member(String storageNode) {
    Integer m = members.get(storageNode);
    if (m == null) {
      throw new IllegalArgumentException(storageNode + " is not a storage node of this network: " + members.keySet());
    }
    return m;
  }

  @Override
  public void close() {
    links.forEach(l -> l.relay().close());
    placement.hosts().values().forEach(RelayHostNames::unregister);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  @Override
  public String toString() {
    return "relays between " + members.size() + " storage nodes on " + prefix + "0/24 (tag " + tag + ", hosts files in "
        + dir + ")";
  }
}
