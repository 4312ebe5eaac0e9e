package io.cairn.server.cluster;

import io.cairn.endpoint.EndpointNames;
import io.cairn.endpoint.runtime.ProbingFleetSource;
import io.cairn.endpoint.runtime.RouterHealth;
import io.cairn.metadata.MetadataPeer;
import io.cairn.metadata.MetadataReply;
import io.cairn.metadata.MetadataUnavailableException;
import io.cairn.metadata.NodeRecord;
import io.cairn.metadata.RatisMetadataClient;
import io.cairn.metadata.TableRecord;
import io.cairn.router.table.IndexDefinition;
import io.cairn.router.table.PartitionRange;
import io.cairn.router.table.TableCodec;
import io.cairn.router.table.TableDefinition;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The local cluster launcher behind {@code cairn cluster start|status|kill|restart|stop}, usable
 * from tests as a Java API.
 *
 * <p>Each process is its own JVM, {@code java -cp <this JVM's class path> io.cairn.server.CairnMain
 * node --topology DIR/cluster.json --name NAME}, started in a new session ({@code setsid}) with its
 * standard output and error appended to its log file, so that it outlives the launcher and a
 * Ctrl-C or a closed terminal. Its pid goes to {@code DIR/NAME.pid}; every later command (this JVM
 * or another) finds the process through that file, checking that the pid still runs a Cairn node
 * with that name, so a reused pid is never signalled.
 *
 * <p>Start order: metadata members, storage nodes, routers, the endpoint manager; each group waits
 * until it answers (metadata and storage: their Ratis port accepts connections; routers: their
 * health check answers 200; the endpoint manager: its DNS server lists every running router).
 */
public final class LocalCluster {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

  public static final String NODE_MAIN = "io.cairn.server.CairnMain";
  /** On every node's command line, so a pid is known to still run that node. */
  public static final String NODE_MARKER = "-Dcairn.cluster.node=";
  public static final Path SETSID = Path.of("/usr/bin/setsid");
  public static final long POLL_MS = 100;
  public static final int PROBE_TIMEOUT_MS = 1_000;
  public static final int LOG_TAIL_LINES = 15;
  public static final int LOG_TAIL_BYTES_MAX = 16 * 1024;
  /** Status must come back quickly even when the metadata group has no leader. */
  public static final long METADATA_STATUS_TIMEOUT_MS = 3_000;
  public static final int STATUS_PARTITIONS_MAX = 500;
  public static final int DNS_TIMEOUT_MS = 2_000;
  private static final List<Role> START_ORDER = List.of(Role.METADATA, Role.STORAGE, Role.ROUTER, Role.ENDPOINT);

  /** A failure to report to the operator as one message (what happened and where to look). */
  public static final class ClusterException extends RuntimeException {
    public ClusterException(String message) {
      super(message);
    }
  }

  private final ClusterOptions options;
  private final LongSupplier clockMs;
  private final Consumer<String> progress;
  private final ProcessPlacement placement;

  /**
   * @param clockMs wall-clock milliseconds, for deadlines and heartbeat ages
   * @param progress where lines for a person go (the command line prints them; tests may drop them)
   */
  public LocalCluster(ClusterOptions options, LongSupplier clockMs, Consumer<String> progress) {
    this(options, clockMs, progress, ProcessPlacement.LOOPBACK);
  }

  /** A cluster whose processes run where {@code placement} says (the chaos tests' namespaces). */
  public LocalCluster(ClusterOptions options, LongSupplier clockMs, Consumer<String> progress,
      ProcessPlacement placement) {
    this.options = options;
    this.clockMs = clockMs;
    this.progress = progress;
    this.placement = placement;
  }

  public LocalCluster(ClusterOptions options) {
    this(options, System::currentTimeMillis, line -> {});
  }

  public Path dir() {
    return options.dir();
  }

  /** The topology of the cluster in {@link #dir()}, as written by {@link #start()}. */
  public ClusterTopology topology() {
    Path file = options.topologyFile();
    if (!Files.exists(file)) {
      throw new ClusterException("no cluster in " + options.dir() + " (no " + ClusterTopology.FILE_NAME
          + "); start one with: cairn cluster start --dir " + options.dir());
    }
    return ClusterTopology.read(file);
  }

  // ---- start -----------------------------------------------------------------------------------

  /**
   * Writes the topology (or reuses the one already in the directory, if it has the same layout: the
   * data of a stopped cluster survives), starts every process and waits until all of them answer.
   * If one fails to start, the ones already started are stopped and the failure names its log.
   */
  public ClusterTopology start() {
    ClusterTopology planned = placement.place(options.layout());
    try {
      Files.createDirectories(options.dir());
    } catch (IOException e) {
      throw new ClusterException("cannot create " + options.dir() + ": " + e.getMessage());
    }
    if (Files.exists(options.topologyFile())) {
      ClusterTopology existing = ClusterTopology.read(options.topologyFile());
      // The settings (the repair timeout) may change between starts; the processes may not.
      if (!existing.processes().equals(planned.processes())) {
        throw new ClusterException(options.dir() + " already holds a cluster with another layout ("
            + existing.processes().size() + " processes); use another --dir, or stop it and delete "
            + options.dir());
      }
      List<String> running = existing.processes().stream().filter(p -> liveHandle(p).isPresent())
          .map(ProcessSpec::name).toList();
      if (!running.isEmpty()) {
        throw new ClusterException("the cluster in " + options.dir() + " is already running (" + running.size()
            + " of " + existing.processes().size() + " processes: " + String.join(", ", running)
            + "); use 'cairn cluster restart NAME' or 'cairn cluster stop' first");
      }
    }
    // A port someone else listens on would make a process look ready while it dies failing to bind.
    List<String> taken = planned.processes().stream().filter(p -> !portFree(p))
        .map(p -> p.address() + " (" + p.name() + ")").toList();
    if (!taken.isEmpty()) {
      throw new ClusterException("already in use by another process: " + String.join(", ", taken)
          + "; choose other ports (--router-port, --dns-port, --metadata-port-base, --storage-port-base)");
    }
    planned.write(options.topologyFile());
    progress.accept("starting " + planned.processes().size() + " processes in " + options.dir());
    long startedMs = clockMs.getAsLong();
    long deadlineMs = startedMs + options.readyTimeoutMs();
    Map<ProcessSpec, Process> started = new LinkedHashMap<>();
    try {
      Map<Role, List<ProcessSpec>> groups = new EnumMap<>(Role.class);
      for (ProcessSpec p : planned.processes()) {
        groups.computeIfAbsent(p.role(), r -> new ArrayList<>()).add(p);
      }
      for (Role role : START_ORDER) {
        List<ProcessSpec> group = groups.getOrDefault(role, List.of());
        Map<ProcessSpec, Process> spawned = new LinkedHashMap<>();
        for (ProcessSpec p : group) {
          spawned.put(p, spawn(p));
        }
        started.putAll(spawned);
        awaitReady(planned, spawned, deadlineMs);
      }
      // A process can answer its readiness probe and still die a moment later (a failed bind of a
      // second socket, a crash in start-up): the cluster is ready only if all of them still run.
      for (Map.Entry<ProcessSpec, Process> e : started.entrySet()) {
        if (!e.getValue().isAlive()) {
          throw exited(e.getKey(), e.getValue());
        }
      }
    } catch (RuntimeException e) {
      progress.accept("start failed; stopping the " + started.size() + " process(es) already started");
      terminate(List.copyOf(started.keySet()));
      throw e;
    }
    LOG.atInfo().addKeyValue("component", "cluster").addKeyValue("dir", options.dir().toString())
        .addKeyValue("processes", planned.processes().size()).addKeyValue("action", "start")
        .addKeyValue("result", "ready").addKeyValue("elapsed_ms", clockMs.getAsLong() - startedMs)
        .log("cluster ready");
    return planned;
  }

  private Process spawn(ProcessSpec p) {
    try {
      Files.createDirectories(p.dataDir());
      ProcessBuilder pb = new ProcessBuilder(command(p))
          .directory(options.dir().toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(p.logFile().toFile()))
          .redirectErrorStream(true);
      Process process = pb.start();
      writePid(p, process.pid());
      LOG.atInfo().addKeyValue("component", "cluster").addKeyValue("process", p.name())
          .addKeyValue("role", p.role().name()).addKeyValue("address", p.address())
          .addKeyValue("pid", process.pid()).addKeyValue("action", "spawn").addKeyValue("result", "applied")
          .log("started {} (pid {}), log {}", p.name(), process.pid(), p.logFile());
      progress.accept(String.format("  started %-16s pid %-7d %s", p.name(), process.pid(), p.address()));
      return process;
    } catch (IOException e) {
      throw new ClusterException("cannot start " + p.name() + ": " + e.getMessage());
    }
  }

  /** The node's command line; see the class comment. */
  List<String> command(ProcessSpec p) {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      // A new session: no terminal signals (Ctrl-C, hang-up) reach the node through the launcher.
      cmd.add(SETSID.toString());
    }
    cmd.addAll(placement.launchPrefix(p.name()));
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // First, so it is within the 4 KB of the command line the JDK lets us read (the class path can
    // be far longer): how a later command knows the pid still runs this node.
    cmd.add(NODE_MARKER + p.name());
    cmd.add("-XX:+UseZGC");
    if (Runtime.version().feature() < 24) {
      cmd.add("-XX:+ZGenerational");
    }
    if (Runtime.version().feature() >= 23) {
      // Ratis's bundled Netty uses sun.misc.Unsafe; without this, JDK 24+ prints four warning lines
      // into every log file, which must hold JSON lines only.
      cmd.add("--sun-misc-unsafe-memory-access=allow");
    }
    cmd.add("-Xss1m");
    cmd.add("-Xmx" + options.heapMbMax() + "m");
    cmd.add("--enable-native-access=ALL-UNNAMED");
    // The server's JSON log configuration, even when a test's logback-test.xml is on the class path:
    // the log files are the operators' API.
    cmd.add("-Dlogback.configurationFile=logback.xml");
    cmd.addAll(placement.jvmOptions(p.name()));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(NODE_MAIN);
    cmd.addAll(List.of("node", "--topology", options.topologyFile().toString(), "--name", p.name()));
    return cmd;
  }

  private void awaitReady(ClusterTopology topology, Map<ProcessSpec, Process> processes, long deadlineMs) {
    long beganMs = clockMs.getAsLong();
    List<ProcessSpec> waiting = new ArrayList<>(processes.keySet());
    while (!waiting.isEmpty()) {
      for (ProcessSpec p : List.copyOf(waiting)) {
        Process process = processes.get(p);
        if (!process.isAlive()) {
          throw exited(p, process);
        }
        if (ready(topology, p)) {
          waiting.remove(p);
          progress.accept(String.format("  ready   %-16s after %.1f s", p.name(),
              (clockMs.getAsLong() - beganMs) / 1000.0));
        }
      }
      if (waiting.isEmpty()) {
        return;
      }
      if (clockMs.getAsLong() >= deadlineMs) {
        throw new ClusterException("not answering after " + options.readyTimeoutMs() / 1000 + " s: "
            + String.join(", ", waiting.stream().map(p -> p.name() + " (" + p.logFile() + ")").toList()));
      }
      pause(POLL_MS);
    }
  }

  private static ClusterException exited(ProcessSpec p, Process process) {
    return new ClusterException(p.name() + " exited with code " + process.exitValue()
        + " while starting; the end of " + p.logFile() + ":\n" + logTail(p.logFile()));
  }

  /**
   * Whether nothing listens on the process's address yet (TCP; and UDP for the DNS server). Only
   * "address already in use" counts as taken: a process the placement starts in another network
   * namespace binds an address this one may not have, and is not checked at all.
   */
  boolean portFree(ProcessSpec p) {
    if (!placement.launchPrefix(p.name()).isEmpty()) {
      return true;
    }
    try (java.net.ServerSocket tcp = new java.net.ServerSocket()) {
      tcp.setReuseAddress(true); // a port in TIME_WAIT from the last run is free
      tcp.bind(new InetSocketAddress(p.host(), p.port()));
    } catch (IOException e) {
      return !inUse(e);
    }
    if (p.role() == Role.ENDPOINT) {
      try (java.net.DatagramSocket udp = new java.net.DatagramSocket(new InetSocketAddress(p.host(), p.port()))) {
        return true;
      } catch (IOException e) {
        return !inUse(e);
      }
    }
    return true;
  }

  private static boolean inUse(IOException e) {
    return e instanceof java.net.BindException && String.valueOf(e.getMessage()).contains("in use");
  }

  /** Whether a process answers as its role should; see the class comment. */
  boolean ready(ClusterTopology topology, ProcessSpec p) {
    return switch (p.role()) {
      case METADATA, STORAGE -> acceptsConnections(p);
      case ROUTER -> ProbingFleetSource.probeHttp(
          new ProbingFleetSource.Router(p.name(), p.az(), p.host(), p.port(), 1), PROBE_TIMEOUT_MS)
          == RouterHealth.Probe.HEALTHY;
      case ENDPOINT -> {
        if (!(resolveEndpoint(p) instanceof ClusterStatus.EndpointView.Resolved r)) {
          yield false;
        }
        Set<String> expected = new TreeSet<>();
        for (ProcessSpec router : topology.byRole(Role.ROUTER)) {
          if (liveHandle(router).isPresent()) {
            expected.add(router.host());
          }
        }
        yield r.addresses().containsAll(expected);
      }
    };
  }

  private static boolean acceptsConnections(ProcessSpec p) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(p.host(), p.port()), PROBE_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  // ---- kill, restart, stop ----------------------------------------------------------------------

  /** SIGKILL, as a crash would; the pid file stays, so status shows the process DEAD. */
  public long kill(String name) {
    ProcessSpec p = topology().byName(name);
    ProcessHandle h = liveHandle(p).orElseThrow(() -> new ClusterException(name + " is not running"));
    h.destroyForcibly();
    awaitExit(List.of(h), options.stopWaitMs());
    LOG.atWarn().addKeyValue("component", "cluster").addKeyValue("process", name).addKeyValue("pid", h.pid())
        .addKeyValue("action", "kill").addKeyValue("result", "applied").log("killed {} (SIGKILL)", name);
    return h.pid();
  }

  /**
   * Stops the process if it runs (SIGTERM, SIGKILL after the stop wait), starts it again with the
   * same topology and data, and waits until it answers.
   */
  public long restart(String name) {
    ClusterTopology topology = topology();
    ProcessSpec p = topology.byName(name);
    terminate(List.of(p));
    if (!portFree(p)) {
      throw new ClusterException(p.address() + " is in use by another process; " + p.name() + " cannot start");
    }
    Process process = spawn(p);
    awaitReady(topology, Map.of(p, process), clockMs.getAsLong() + options.readyTimeoutMs());
    return process.pid();
  }

  /** Stops every process: SIGTERM to all, SIGKILL to those still running after the stop wait. */
  public void stop() {
    terminate(topology().processes());
  }

  /** SIGTERM, a bounded wait, SIGKILL; removes the pid files (a stopped process is not DEAD). */
  private void terminate(List<ProcessSpec> processes) {
    Map<ProcessSpec, ProcessHandle> live = new LinkedHashMap<>();
    for (ProcessSpec p : processes) {
      liveHandle(p).ifPresent(h -> live.put(p, h));
    }
    live.values().forEach(ProcessHandle::destroy);
    awaitExit(live.values(), options.stopWaitMs());
    for (Map.Entry<ProcessSpec, ProcessHandle> e : live.entrySet()) {
      ProcessSpec p = e.getKey();
      ProcessHandle h = e.getValue();
      boolean forced = h.isAlive();
      if (forced) {
        h.destroyForcibly();
      }
      LOG.atInfo().addKeyValue("component", "cluster").addKeyValue("process", p.name()).addKeyValue("pid", h.pid())
          .addKeyValue("action", "stop").addKeyValue("result", forced ? "killed" : "applied")
          .log(forced ? "{} did not stop within {} ms of SIGTERM; sent SIGKILL" : "stopped {}", p.name(),
              options.stopWaitMs());
      progress.accept(String.format("  %-7s %-16s pid %d", forced ? "KILLED" : "stopped", p.name(), h.pid())
          + (forced ? " (still running " + options.stopWaitMs() / 1000 + " s after SIGTERM)" : ""));
    }
    awaitExit(live.values(), options.stopWaitMs());
    for (ProcessSpec p : processes) {
      try {
        Files.deleteIfExists(pidFile(p));
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
  }

  private void awaitExit(java.util.Collection<ProcessHandle> handles, long waitMs) {
    long deadlineMs = clockMs.getAsLong() + waitMs;
    while (handles.stream().anyMatch(ProcessHandle::isAlive) && clockMs.getAsLong() < deadlineMs) {
      pause(POLL_MS);
    }
  }

  // ---- status ------------------------------------------------------------------------------------

  /** Processes always; the endpoint and the metadata service if they answer (one line if not). */
  public ClusterStatus status() {
    ClusterTopology topology = topology();
    List<ClusterStatus.ProcessState> states = new ArrayList<>();
    for (ProcessSpec p : topology.processes()) {
      OptionalLong pid = readPid(p);
      ClusterStatus.Liveness liveness = pid.isEmpty() ? ClusterStatus.Liveness.STOPPED
          : liveHandle(p).isPresent() ? ClusterStatus.Liveness.RUNNING : ClusterStatus.Liveness.DEAD;
      states.add(new ClusterStatus.ProcessState(p, pid, liveness));
    }
    List<ProcessSpec> endpoints = topology.byRole(Role.ENDPOINT);
    ClusterStatus.EndpointView endpoint = endpoints.isEmpty() ? new ClusterStatus.EndpointView.Absent()
        : resolveEndpoint(endpoints.getFirst());
    return new ClusterStatus(options.dir(), clockMs.getAsLong(), states, endpoint, metadata(topology));
  }

  /** The endpoint's A records at the endpoint manager's DNS server, sorted (the server shuffles). */
  public static ClusterStatus.EndpointView resolveEndpoint(ProcessSpec endpoint) {
    String name = EndpointNames.defaults().endpoint();
    try {
      SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(endpoint.host(), endpoint.port()));
      resolver.setTimeout(Duration.ofMillis(DNS_TIMEOUT_MS));
      resolver.setTCP(true); // many routers do not fit a 512-byte UDP answer
      Message answer = resolver.send(Message.newQuery(
          Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN)));
      List<String> addresses = new ArrayList<>();
      for (Record r : answer.getSection(Section.ANSWER)) {
        if (r instanceof ARecord a) {
          addresses.add(a.getAddress().getHostAddress());
        }
      }
      addresses.sort(null);
      return new ClusterStatus.EndpointView.Resolved(name, endpoint.address(), addresses);
    } catch (IOException e) {
      return new ClusterStatus.EndpointView.NoAnswer(name, endpoint.address(),
          e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private ClusterStatus.MetadataView metadata(ClusterTopology topology) {
    List<MetadataPeer> peers = ClusterPeers.metadataPeers(topology);
    if (peers.isEmpty()) {
      return new ClusterStatus.MetadataView.Unavailable("no metadata members in the topology");
    }
    try (RatisMetadataClient client = new RatisMetadataClient(peers, METADATA_STATUS_TIMEOUT_MS)) {
      List<ClusterStatus.NodeView> nodes = new ArrayList<>();
      for (NodeRecord n : client.listNodes().nodes()) {
        nodes.add(new ClusterStatus.NodeView(n.nodeId(), n.az(), n.address(), n.health().name(), n.lastHeartbeatMs()));
      }
      List<ClusterStatus.TableView> tables = new ArrayList<>();
      int budget = STATUS_PARTITIONS_MAX;
      int omitted = 0;
      for (TableRecord t : client.listTables().tables()) {
        TableDefinition def = TableCodec.decode(t.definition());
        Map<String, List<PartitionRange>> ranges = new LinkedHashMap<>();
        ranges.put(def.name(), def.partitions());
        for (IndexDefinition index : def.indexes()) {
          if (index.global()) {
            ranges.put(def.name() + "/" + index.name(), index.partitions());
          }
        }
        for (Map.Entry<String, List<PartitionRange>> e : ranges.entrySet()) {
          List<ClusterStatus.PartitionView> partitions = new ArrayList<>();
          for (PartitionRange range : e.getValue()) {
            if (budget == 0) {
              omitted++;
              continue;
            }
            budget--;
            partitions.add(partition(client.getPartition(range.partitionId()), range.partitionId().value()));
          }
          tables.add(new ClusterStatus.TableView(e.getKey(), partitions));
        }
      }
      return new ClusterStatus.MetadataView.Answered(nodes, tables, omitted);
    } catch (MetadataUnavailableException e) {
      return new ClusterStatus.MetadataView.Unavailable(e.getMessage());
    } catch (RuntimeException e) {
      // Status must still show the processes; one line says what went wrong with the rest.
      return new ClusterStatus.MetadataView.Unavailable("could not read partitions: " + e);
    }
  }

  private static ClusterStatus.PartitionView partition(MetadataReply reply, long partitionId) {
    if (reply instanceof MetadataReply.PartitionFound f) {
      var replacement = f.partition().replacement();
      return new ClusterStatus.PartitionView(partitionId, f.partition().replicaNodeIds(), f.partition().leaderHint(),
          replacement.map(r -> r.fillingNodeId()).orElse(""), replacement.map(r -> r.replacedNodeId()).orElse(""));
    }
    return new ClusterStatus.PartitionView(partitionId, List.of(), "");
  }

  // ---- pid files ---------------------------------------------------------------------------------

  public Path pidFile(ProcessSpec p) {
    return options.dir().resolve(p.name() + ".pid");
  }

  private void writePid(ProcessSpec p, long pid) throws IOException {
    Path file = pidFile(p);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private OptionalLong readPid(ProcessSpec p) {
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(pidFile(p), StandardCharsets.US_ASCII).strip()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The live process of {@code p}: its pid file names a running Cairn node with that name. */
  public Optional<ProcessHandle> liveHandle(ProcessSpec p) {
    OptionalLong pid = readPid(p);
    if (pid.isEmpty()) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive).filter(h -> runsNode(h, p.name()));
  }

  /**
   * Whether the process's command line carries {@code -Dcairn.cluster.node=NAME}. The JDK reads at
   * most 4 KB of a command line and then gives no argument list, only the truncated text, so the
   * marker comes right after the java binary. A command line we may not read counts as ours.
   */
  static boolean runsNode(ProcessHandle h, String name) {
    String marker = NODE_MARKER + name;
    Optional<String[]> args = h.info().arguments();
    if (args.isPresent()) {
      return List.of(args.get()).contains(marker);
    }
    return h.info().commandLine().map(c -> (c + " ").contains(" " + marker + " ")).orElse(true);
  }

  /** The last lines of a log, for a start failure's message. */
  static String logTail(Path log) {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long length = f.length();
      long from = Math.max(0, length - LOG_TAIL_BYTES_MAX);
      byte[] bytes = new byte[(int) (length - from)];
      f.seek(from);
      f.readFully(bytes);
      List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted");
    }
  }
}
