package io.cairn.server.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the processes of a local cluster run when not all of them run on loopback in the
 * launcher's own network namespace: another host for some processes (the address each binds and
 * is reached at, written into the topology) and a command prefix for some (for instance
 * {@code ip netns exec NS}, so the process runs in a network namespace). The chaos tests use it to
 * put each storage node in a namespace of its own, with the metadata members on the bridge that
 * joins them, and then cut one node off; and, without root, JVM options per process (a hosts file
 * of its own, {@code -Djdk.net.hosts.file}, so that each node reaches the others through relays
 * the test can cut).
 *
 * <p>It lives in the launcher only: {@code cairn cluster restart} from another JVM does not know
 * the prefixes (restart through the {@link LocalCluster} that started the cluster).
 *
 * @param hosts process name → host that replaces the layout's
 * @param launchPrefixes process name → arguments put before the java binary (after {@code setsid})
 * @param jvmOptions process name → options given to its JVM (before the class path)
 */
public record ProcessPlacement(Map<String, String> hosts, Map<String, List<String>> launchPrefixes,
    Map<String, List<String>> jvmOptions) {
  /** Every process where {@link ClusterOptions#layout()} puts it, started directly. */
  public static final ProcessPlacement LOOPBACK = new ProcessPlacement(Map.of(), Map.of());

  public ProcessPlacement {
    hosts = Map.copyOf(hosts);
    launchPrefixes = Map.copyOf(Objects.requireNonNull(launchPrefixes, "launchPrefixes"));
    jvmOptions = Map.copyOf(Objects.requireNonNull(jvmOptions, "jvmOptions"));
  }

  /** Hosts and launch prefixes, no JVM options. */
  public ProcessPlacement(Map<String, String> hosts, Map<String, List<String>> launchPrefixes) {
    this(hosts, launchPrefixes, Map.of());
  }

  /** The layout with the hosts replaced; every name this placement mentions must be in it. */
  public ClusterTopology place(ClusterTopology layout) {
    for (String name : hosts.keySet()) {
      layout.byName(name);
    }
    for (String name : launchPrefixes.keySet()) {
      layout.byName(name);
    }
    for (String name : jvmOptions.keySet()) {
      layout.byName(name);
    }
    List<ProcessSpec> placed = new ArrayList<>();
    for (ProcessSpec p : layout.processes()) {
      String host = hosts.getOrDefault(p.name(), p.host());
      placed.add(new ProcessSpec(p.name(), p.role(), p.az(), host, p.port(), p.dataDir(), p.logFile()));
    }
    return new ClusterTopology(placed, layout.settings());
  }

  /** What goes before the java binary on the process's command line (empty: nothing). */
  public List<String> launchPrefix(String name) {
    return launchPrefixes.getOrDefault(name, List.of());
  }

  /** The extra options for the process's JVM (empty: none). */
  public List<String> jvmOptions(String name) {
    return jvmOptions.getOrDefault(name, List.of());
  }
}
