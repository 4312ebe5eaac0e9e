package io.cairn.it.chaos;

import io.cairn.server.cluster.ClusterTopology;
import io.cairn.server.cluster.ProcessPlacement;
import io.cairn.server.cluster.ProcessSpec;
import io.cairn.server.cluster.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces of the test's own making, with iproute2: one namespace per member, each joined
 * by a veth pair to one bridge in the test's own namespace, which carries the bridge address. A
 * process started with {@link #execPrefix} runs in its member's namespace and reaches the others,
 * and the test's namespace, only over the bridge; the test's namespace reaches every member.
 *
 * <pre>
 *   test namespace: bridge ccb-TAG 10.A.B.1/24 ─┬─ ccv-TAG-1 ═ eth0 10.A.B.11 (namespace ccn-TAG-1)
 *                                               ├─ ccv-TAG-2 ═ eth0 10.A.B.12 (namespace ccn-TAG-2)
 *                                               └─ ccv-TAG-3 ═ eth0 10.A.B.13 (namespace ccn-TAG-3)
 * </pre>
 *
 * <p>{@link #isolate} cuts one member off from the others in both directions with blackhole routes
 * on both sides (packets to the other side are dropped where they are sent, so nothing crosses,
 * not even data on connections already open), and leaves its path to the bridge address open.
 * {@link #heal} removes the routes. Names carry a random tag, so runs do not meet; {@link #close}
 * removes everything (call it after the processes inside have exited).
 *
 * <p>{@link #create(ClusterTopology, SplittableRandom)} makes one member per storage node of a
 * cluster's layout, and {@link #placement} puts each node in its namespace, with the metadata
 * members on the bridge address.
 */
final class NetworkNamespaces implements ChaosNetwork {
  static final Path IP = Path.of("/usr/sbin/ip");
  static final long COMMAND_TIMEOUT_MS = 10_000;
  static final int MEMBER_HOST_OFFSET = 10;

  private final String tag;
  private final String subnetPrefix;
  /** Storage node name → member number (1-based, in the layout's order). */
  private final Map<String, Integer> nodes;
  private boolean closed;

  private NetworkNamespaces(String tag, String subnetPrefix, Map<String, Integer> nodes) {
    this.tag = tag;
    this.subnetPrefix = subnetPrefix;
    this.nodes = nodes;
  }

  /** Why namespaces cannot be made here, or empty when they can (root and iproute2). */
  static Optional<String> unavailableReason() {
    if (!Files.isExecutable(IP)) {
      return Optional.of(IP + " (iproute2) is not installed");
    }
    String uid = run(false, "/usr/bin/id", "-u").strip();
    if (!uid.equals("0")) {
      return Optional.of("not root (uid " + uid + "): creating network namespaces needs CAP_SYS_ADMIN and CAP_NET_ADMIN");
    }
    return Optional.empty();
  }

  /** Metadata members on the bridge address; storage node i in namespace i, on its address there. */
  ProcessPlacement placement(ClusterTopology layout) {
    Map<String, String> hosts = new HashMap<>();
    Map<String, List<String>> prefixes = new HashMap<>();
    for (ProcessSpec p : layout.byRole(Role.METADATA)) {
      hosts.put(p.name(), bridgeAddress());
    }
    nodes.forEach((name, member) -> {
      hosts.put(name, address(member));
      prefixes.put(name, execPrefix(member));
    });
    return new ProcessPlacement(hosts, prefixes);
  }

  /**
   * Creates the bridge and one namespace per storage node of {@code layout} (in its order), on a
   * /24 that no interface uses yet.
   */
  static NetworkNamespaces create(ClusterTopology layout, SplittableRandom random) {
    Map<String, Integer> nodes = new LinkedHashMap<>();
    for (ProcessSpec p : layout.byRole(Role.STORAGE)) {
      nodes.put(p.name(), nodes.size() + 1);
    }
    String used = run(true, IP.toString(), "-4", "-o", "addr", "show");
    String tag = String.format("%04x", random.nextInt(1 << 16));
    String prefix = null;
    for (int attempt = 0; attempt < 100 && prefix == null; attempt++) {
      String candidate = "10." + (200 + random.nextInt(50)) + "." + random.nextInt(250) + ".";
      if (!used.contains(" " + candidate)) {
        prefix = candidate;
      }
    }
    if (prefix == null) {
      throw new IllegalStateException("no free 10.x.y.0/24 subnet for the test's bridge");
    }
    NetworkNamespaces n = new NetworkNamespaces(tag, prefix, nodes);
    try {
      n.build();
    } catch (RuntimeException e) {
      n.close();
      throw e;
    }
    return n;
  }

  private void build() {
    ip("link", "add", bridge(), "type", "bridge");
    ip("addr", "add", bridgeAddress() + "/24", "dev", bridge());
    ip("link", "set", bridge(), "up");
    for (int m = 1; m <= nodes.size(); m++) {
      ip("netns", "add", namespace(m));
      ip("link", "add", veth(m), "type", "veth", "peer", "name", "eth0", "netns", namespace(m));
      ip("link", "set", veth(m), "master", bridge(), "up");
      ip("-n", namespace(m), "addr", "add", address(m) + "/24", "dev", "eth0");
      ip("-n", namespace(m), "link", "set", "eth0", "up");
      ip("-n", namespace(m), "link", "set", "lo", "up");
    }
  }

  private String bridge() {
    return "ccb-" + tag;
  }

  private String namespace(int member) {
    return "ccn-" + tag + "-" + member;
  }

  private String veth(int member) {
    return "ccv-" + tag + "-" + member;
  }

  /** The address of the bridge, in the test's own namespace: reachable from every member. */
  private String bridgeAddress() {
    return subnetPrefix + "1";
  }

  /** Member {@code member}'s address (1-based), inside its namespace. */
  private String address(int member) {
    return subnetPrefix + (MEMBER_HOST_OFFSET + member);
  }

  /** Put before a command to run it in member {@code member}'s namespace. */
  private List<String> execPrefix(int member) {
    return List.of(IP.toString(), "netns", "exec", namespace(member));
  }

  /** Cuts {@code member} off from every other member, both ways; the bridge address stays reachable. */
  private void isolate(int member) {
    for (int other = 1; other <= nodes.size(); other++) {
      if (other != member) {
        blackhole(member, other, "add");
        blackhole(other, member, "add");
      }
    }
  }

  @Override
  public void isolate(String storageNode) {
    isolate(member(storageNode));
  }

  @Override
  public void heal(String storageNode) {
    heal(member(storageNode));
  }

  @Override
  public String describe(String storageNode) {
    return "routes in " + namespace(member(storageNode)) + ":\n" + routes(member(storageNode));
  }

  private int member(String storageNode) {
    Integer m = nodes.get(storageNode);
    if (m == null) {
      throw new IllegalArgumentException(storageNode + " is not a storage node of this network: " + nodes.keySet());
    }
    return m;
  }

  /** Undoes {@link #isolate}. */
  private void heal(int member) {
    for (int other = 1; other <= nodes.size(); other++) {
      if (other != member) {
        blackhole(member, other, "del");
        blackhole(other, member, "del");
      }
    }
  }

  /** The routes of a member's namespace, for a failure message. */
  private String routes(int member) {
    return run(false, IP.toString(), "-n", namespace(member), "route", "show").strip();
  }

  private void blackhole(int from, int to, String action) {
    ip("-n", namespace(from), "route", action, "blackhole", address(to) + "/32");
  }

  private void ip(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(IP.toString());
    cmd.addAll(List.of(args));
    run(true, cmd.toArray(String[]::new));
  }

  /** Deletes the namespaces and the bridge (the veth pairs go with the namespaces). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int m = 1; m <= nodes.size(); m++) {
      run(false, IP.toString(), "netns", "delete", namespace(m));
    }
    run(false, IP.toString(), "link", "delete", bridge());
  }

  @Override
  public String toString() {
    return "bridge " + bridge() + " " + bridgeAddress() + "/24, namespaces " + namespace(1) + ".." + namespace(nodes.size());
  }

  /** Runs a command, returns its output; with {@code check}, a non-zero exit is an error naming it. */
  static String run(boolean check, String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!p.waitFor(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT_MS + " ms");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (check && p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }
}
