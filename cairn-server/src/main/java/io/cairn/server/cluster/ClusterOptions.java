package io.cairn.server.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The shape of a local cluster and how the launcher treats it. {@link #layout()} turns it into the
 * topology every process reads; it is pure, so the naming and port rules are tested without
 * starting anything.
 *
 * <p>Layout: one metadata member in each of the first {@value #METADATA_MEMBERS_MAX} AZs
 * ({@code metadata-az1-1}, on {@code 127.0.0.1:metadataPortBase+i}); {@code nodesPerAz} storage
 * nodes per AZ ({@code storage-az2-1}, on {@code 127.0.0.1:storagePortBase+i}); routers
 * {@code router-1..N}, spread over the AZs in turn, each on its own loopback address
 * {@code 127.0.1.N} and the same {@code routerPort}, so DNS can name them apart; one endpoint
 * manager {@code endpoint-1} whose DNS server listens on {@code 127.0.0.1:dnsPort}. Every process
 * keeps its data in {@code DIR/NAME/}, logs to {@code DIR/NAME.log} and has its pid in
 * {@code DIR/NAME.pid}.
 *
 * @param dir where the cluster's files live
 * @param azs availability zones, {@code az1..azN}
 * @param nodesPerAz storage nodes in each AZ
 * @param routers request routers
 * @param routerPort the HTTP port of every router (each on its own address)
 * @param dnsPort the endpoint manager's DNS port (UDP and TCP)
 * @param metadataPortBase the first metadata member's Ratis port; the others follow
 * @param storagePortBase the first storage node's Ratis port; the others follow
 * @param heapMbMax each process's Java heap limit ({@code -Xmx})
 * @param readyTimeoutMs how long start and restart wait for processes to answer
 * @param stopWaitMs how long stop waits after SIGTERM before it sends SIGKILL
 * @param settings what every process reads besides the layout: auto-admin's repair timeout (60 s
 *     by default; tests shorten it) and the partition logs' compaction
 */
public record ClusterOptions(
    Path dir,
    int azs,
    int nodesPerAz,
    int routers,
    int routerPort,
    int dnsPort,
    int metadataPortBase,
    int storagePortBase,
    int heapMbMax,
    long readyTimeoutMs,
    long stopWaitMs,
    ClusterSettings settings) {

  public static final Path DIR_DEFAULT = Path.of("cairn-cluster");
  public static final int AZS_DEFAULT = 3;
  public static final int NODES_PER_AZ_DEFAULT = 1;
  public static final int ROUTERS_DEFAULT = 2;
  public static final int ROUTER_PORT_DEFAULT = 8000;
  public static final int DNS_PORT_DEFAULT = 8053;
  public static final int METADATA_PORT_BASE_DEFAULT = 9100;
  public static final int STORAGE_PORT_BASE_DEFAULT = 9200;
  public static final int HEAP_MB_MAX_DEFAULT = 512;
  /** Nine JVMs starting at once on a loaded two-core machine take tens of seconds. */
  public static final long READY_TIMEOUT_MS_DEFAULT = 180_000;
  public static final long STOP_WAIT_MS_DEFAULT = 15_000;
  public static final long DEAD_NODE_REPAIR_AFTER_MS_DEFAULT = io.cairn.admin.AdminConfig.DEAD_NODE_REPAIR_AFTER_MS_DEFAULT;
  /** A shorter repair timeout would replace nodes that are merely restarting. */
  public static final long DEAD_NODE_REPAIR_AFTER_MS_MIN = 1_000;

  /** AZ names are one digit ({@code az1..az9}). */
  public static final int AZS_MAX = 9;
  public static final int NODES_PER_AZ_MAX = 8;
  /** Router addresses are {@code 127.0.1.1..127.0.1.N}. */
  public static final int ROUTERS_MAX = 64;
  /** A metadata group of three survives one AZ; more members only slow its writes. */
  public static final int METADATA_MEMBERS_MAX = 3;
  public static final String ROUTER_HOST_PREFIX = "127.0.1.";
  public static final String LOCAL_HOST = "127.0.0.1";
  public static final int HEAP_MB_MIN = 64;

  public ClusterOptions {
    Objects.requireNonNull(dir, "dir");
    dir = dir.toAbsolutePath().normalize();
    check(azs >= 1 && azs <= AZS_MAX, "--azs must be 1.." + AZS_MAX + ", got " + azs);
    check(nodesPerAz >= 1 && nodesPerAz <= NODES_PER_AZ_MAX,
        "--nodes-per-az must be 1.." + NODES_PER_AZ_MAX + ", got " + nodesPerAz);
    check(routers >= 1 && routers <= ROUTERS_MAX, "--routers must be 1.." + ROUTERS_MAX + ", got " + routers);
    check(heapMbMax >= HEAP_MB_MIN, "--heap-mb must be at least " + HEAP_MB_MIN + ", got " + heapMbMax);
    check(readyTimeoutMs > 0 && stopWaitMs > 0, "timeouts must be positive");
    Objects.requireNonNull(settings, "settings");
    check(settings.deadNodeRepairAfterMs() >= DEAD_NODE_REPAIR_AFTER_MS_MIN,
        "--repair-after-s must be at least " + DEAD_NODE_REPAIR_AFTER_MS_MIN / 1000 + ", got "
            + settings.deadNodeRepairAfterMs() / 1000.0);
    int metadataMembers = Math.min(azs, METADATA_MEMBERS_MAX);
    int storageNodes = azs * nodesPerAz;
    checkPorts("--router-port", routerPort, 1);
    checkPorts("--dns-port", dnsPort, 1);
    checkPorts("--metadata-port-base", metadataPortBase, metadataMembers);
    checkPorts("--storage-port-base", storagePortBase, storageNodes);
    // Metadata members, storage nodes and the DNS server share 127.0.0.1: their ports must not meet.
    check(disjoint(metadataPortBase, metadataMembers, storagePortBase, storageNodes),
        "metadata ports " + range(metadataPortBase, metadataMembers) + " overlap storage ports "
            + range(storagePortBase, storageNodes));
    check(disjoint(dnsPort, 1, metadataPortBase, metadataMembers),
        "DNS port " + dnsPort + " is among the metadata ports " + range(metadataPortBase, metadataMembers));
    check(disjoint(dnsPort, 1, storagePortBase, storageNodes),
        "DNS port " + dnsPort + " is among the storage ports " + range(storagePortBase, storageNodes));
  }

  /** The defaults: three AZs, one storage node each, two routers, in {@code dir}. */
  public static ClusterOptions defaults(Path dir) {
    return new ClusterOptions(dir, AZS_DEFAULT, NODES_PER_AZ_DEFAULT, ROUTERS_DEFAULT, ROUTER_PORT_DEFAULT,
        DNS_PORT_DEFAULT, METADATA_PORT_BASE_DEFAULT, STORAGE_PORT_BASE_DEFAULT, HEAP_MB_MAX_DEFAULT,
        READY_TIMEOUT_MS_DEFAULT, STOP_WAIT_MS_DEFAULT, ClusterSettings.DEFAULTS);
  }

  public ClusterOptions withShape(int azs, int nodesPerAz, int routers) {
    return new ClusterOptions(dir, azs, nodesPerAz, routers, routerPort, dnsPort, metadataPortBase,
        storagePortBase, heapMbMax, readyTimeoutMs, stopWaitMs, settings);
  }

  public ClusterOptions withPorts(int routerPort, int dnsPort, int metadataPortBase, int storagePortBase) {
    return new ClusterOptions(dir, azs, nodesPerAz, routers, routerPort, dnsPort, metadataPortBase,
        storagePortBase, heapMbMax, readyTimeoutMs, stopWaitMs, settings);
  }

  public ClusterOptions withHeapMbMax(int heapMbMax) {
    return new ClusterOptions(dir, azs, nodesPerAz, routers, routerPort, dnsPort, metadataPortBase,
        storagePortBase, heapMbMax, readyTimeoutMs, stopWaitMs, settings);
  }

  public ClusterOptions withTimeouts(long readyTimeoutMs, long stopWaitMs) {
    return new ClusterOptions(dir, azs, nodesPerAz, routers, routerPort, dnsPort, metadataPortBase,
        storagePortBase, heapMbMax, readyTimeoutMs, stopWaitMs, settings);
  }

  public ClusterOptions withDeadNodeRepairAfterMs(long deadNodeRepairAfterMs) {
    return new ClusterOptions(dir, azs, nodesPerAz, routers, routerPort, dnsPort, metadataPortBase,
        storagePortBase, heapMbMax, readyTimeoutMs, stopWaitMs, settings.withDeadNodeRepairAfterMs(deadNodeRepairAfterMs));
  }

  /** Partition logs snapshotted every {@code everyEntries} and purged in small segments (tests). */
  public ClusterOptions withReplicationLog(long everyEntries, long segmentBytesMax, int purgeGapEntries) {
    return new ClusterOptions(dir, azs, nodesPerAz, routers, routerPort, dnsPort, metadataPortBase,
        storagePortBase, heapMbMax, readyTimeoutMs, stopWaitMs,
        settings.withReplicationLog(everyEntries, segmentBytesMax, purgeGapEntries));
  }

  public Path topologyFile() {
    return dir.resolve(ClusterTopology.FILE_NAME);
  }

  /** Every process of the cluster, in start order: metadata, storage, routers, endpoint manager. */
  public ClusterTopology layout() {
    List<ProcessSpec> out = new ArrayList<>();
    int metadataMembers = Math.min(azs, METADATA_MEMBERS_MAX);
    for (int a = 1; a <= metadataMembers; a++) {
      out.add(spec("metadata-" + az(a) + "-1", Role.METADATA, az(a), LOCAL_HOST, metadataPortBase + a - 1));
    }
    int storageIndex = 0;
    for (int a = 1; a <= azs; a++) {
      for (int n = 1; n <= nodesPerAz; n++) {
        out.add(spec("storage-" + az(a) + "-" + n, Role.STORAGE, az(a), LOCAL_HOST, storagePortBase + storageIndex++));
      }
    }
    for (int r = 1; r <= routers; r++) {
      out.add(spec("router-" + r, Role.ROUTER, az((r - 1) % azs + 1), ROUTER_HOST_PREFIX + r, routerPort));
    }
    out.add(spec("endpoint-1", Role.ENDPOINT, az(1), LOCAL_HOST, dnsPort));
    return new ClusterTopology(out, settings);
  }

  private ProcessSpec spec(String name, Role role, String az, String host, int port) {
    return new ProcessSpec(name, role, az, host, port, dir.resolve(name), dir.resolve(name + ".log"));
  }

  private static String az(int n) {
    return "az" + n;
  }

  private static void checkPorts(String option, int first, int count) {
    check(first >= 1 && first + count - 1 <= 65_535,
        option + " " + first + " leaves no room for " + count + " port(s) below 65536");
  }

  private static boolean disjoint(int aFirst, int aCount, int bFirst, int bCount) {
    return aFirst + aCount <= bFirst || bFirst + bCount <= aFirst;
  }

  private static String range(int first, int count) {
    return count == 1 ? String.valueOf(first) : first + ".." + (first + count - 1);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
