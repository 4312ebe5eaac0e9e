package io.cairn.server.cluster;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn cluster start|status|kill|restart|stop}: a multi-process cluster on loopback
 * (docs/cluster.md). The terminal gets progress for a person; the launcher's decisions (every
 * start, kill and stop, as JSON lines) go to {@code DIR/cluster.log}, next to each process's log.
 */
@Command(name = "cluster",
    description = "Run a local multi-process cluster on loopback: metadata members, storage nodes, routers "
        + "on 127.0.1.N and the endpoint manager's DNS server.",
    subcommands = {ClusterCommand.Start.class, ClusterCommand.Status.class, ClusterCommand.Kill.class,
        ClusterCommand.Restart.class, ClusterCommand.Stop.class})
public final class ClusterCommand implements Runnable {
  public static final String LAUNCHER_LOG = "cluster.log";
  public static final int EXIT_FAILED = 1;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** {@code --dir}, on every subcommand. */
  static final class DirOption {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "cairn-cluster",
        description = "Where the cluster's files live (default: ./${DEFAULT-VALUE}).")
    Path dir;
  }

  /** Runs one action; an operator-facing failure becomes one line on stderr and exit code 1. */
  abstract static class Action implements Callable<Integer> {
    @Mixin DirOption dir;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    abstract int act(PrintStream out) throws Exception;

    ClusterOptions options() {
      return ClusterOptions.defaults(dir.dir);
    }

    LocalCluster cluster(ClusterOptions options, PrintStream out) {
      return new LocalCluster(options, System::currentTimeMillis, out::println);
    }

    @Override
    public Integer call() throws Exception {
      try {
        return act(System.out);
      } catch (LocalCluster.ClusterException | IllegalArgumentException e) {
        System.out.flush();
        System.err.println("cairn cluster: " + e.getMessage());
        return EXIT_FAILED;
      }
    }
  }

  @Command(name = "start",
      description = "Start every process of the cluster and wait until all of them answer.")
  static final class Start extends Action {
    @Option(names = "--azs", defaultValue = "" + ClusterOptions.AZS_DEFAULT,
        description = "Availability zones (default: ${DEFAULT-VALUE}); one metadata member in each of the first 3.")
    int azs;

    @Option(names = "--nodes-per-az", defaultValue = "" + ClusterOptions.NODES_PER_AZ_DEFAULT,
        description = "Storage nodes in each AZ (default: ${DEFAULT-VALUE}).")
    int nodesPerAz;

    @Option(names = "--routers", defaultValue = "" + ClusterOptions.ROUTERS_DEFAULT,
        description = "Request routers, on 127.0.1.1, 127.0.1.2, ... (default: ${DEFAULT-VALUE}).")
    int routers;

    @Option(names = "--router-port", defaultValue = "" + ClusterOptions.ROUTER_PORT_DEFAULT,
        description = "Every router's HTTP port (default: ${DEFAULT-VALUE}).")
    int routerPort;

    @Option(names = "--dns-port", defaultValue = "" + ClusterOptions.DNS_PORT_DEFAULT,
        description = "The endpoint manager's DNS port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int dnsPort;

    @Option(names = "--metadata-port-base", defaultValue = "" + ClusterOptions.METADATA_PORT_BASE_DEFAULT,
        description = "First metadata member's port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int metadataPortBase;

    @Option(names = "--storage-port-base", defaultValue = "" + ClusterOptions.STORAGE_PORT_BASE_DEFAULT,
        description = "First storage node's port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int storagePortBase;

    @Option(names = "--heap-mb", defaultValue = "" + ClusterOptions.HEAP_MB_MAX_DEFAULT,
        description = "Java heap limit of each process (default: ${DEFAULT-VALUE}).")
    int heapMb;

    @Option(names = "--timeout-s", defaultValue = "" + ClusterOptions.READY_TIMEOUT_MS_DEFAULT / 1000,
        description = "How long to wait for every process to answer (default: ${DEFAULT-VALUE}).")
    long timeoutS;

    @Option(names = "--repair-after-s", defaultValue = "" + ClusterOptions.DEAD_NODE_REPAIR_AFTER_MS_DEFAULT / 1000,
        description = "How long a storage node must be silent before auto-admin replaces its replicas "
            + "(default: ${DEFAULT-VALUE}).")
    long repairAfterS;

    @Override
    int act(PrintStream out) throws IOException {
      ClusterOptions o = new ClusterOptions(dir.dir, azs, nodesPerAz, routers, routerPort, dnsPort,
          metadataPortBase, storagePortBase, heapMb, timeoutS * 1000, ClusterOptions.STOP_WAIT_MS_DEFAULT,
          ClusterSettings.DEFAULTS.withDeadNodeRepairAfterMs(repairAfterS * 1000));
      Files.createDirectories(o.dir());
      logToFile(o.dir());
      long t0 = System.nanoTime();
      ClusterTopology t = cluster(o, out).start();
      out.printf("cluster ready after %.1f s%n", (System.nanoTime() - t0) / 1e9);
      out.println("  routers:  " + String.join("  ", t.byRole(Role.ROUTER).stream()
          .map(r -> "http://" + r.address()).toList()));
      for (ProcessSpec e : t.byRole(Role.ENDPOINT)) {
        out.println("  endpoint: dig @" + e.host() + " -p " + e.port() + " "
            + io.cairn.endpoint.EndpointNames.defaults().endpoint() + " +short");
        out.println("  operator: export CAIRN_DNS_TSIG=$(cat " + e.dataDir().resolve(EndpointProcess.TSIG_FILE)
            + "); cairn endpoint --server " + e.address() + " show");
      }
      out.println("  status:   cairn cluster status --dir " + o.dir());
      out.println("  stop:     cairn cluster stop --dir " + o.dir());
      return 0;
    }
  }

  @Command(name = "status",
      description = "Show processes (pid, running or not, log), what the endpoint resolves to, and partitions "
          + "with their replicas and leaders.")
  static final class Status extends Action {
    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    int act(PrintStream out) {
      LocalCluster c = cluster(options(), out);
      c.topology(); // fails with one line if there is no cluster here
      logToFile(c.dir());
      ClusterStatus s = c.status();
      out.print(json ? s.toJson() + "\n" : s.renderText());
      return 0;
    }
  }

  @Command(name = "kill",
      description = "SIGKILL one process, as a crash would (status then shows it DEAD).")
  static final class Kill extends Action {
    @Parameters(paramLabel = "NAME", description = "e.g. router-1, storage-az2-1, metadata-az1-1.")
    String name;

    @Override
    int act(PrintStream out) {
      LocalCluster c = cluster(options(), out);
      c.topology();
      logToFile(c.dir());
      long pid = c.kill(name);
      out.println("killed " + name + " (pid " + pid + ", SIGKILL)");
      return 0;
    }
  }

  @Command(name = "restart",
      description = "Stop one process if it runs, start it again with its data, and wait until it answers.")
  static final class Restart extends Action {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int act(PrintStream out) {
      LocalCluster c = cluster(options(), out);
      c.topology();
      logToFile(c.dir());
      long pid = c.restart(name);
      out.println("restarted " + name + " (pid " + pid + ")");
      return 0;
    }
  }

  @Command(name = "stop",
      description = "Stop every process: SIGTERM, then SIGKILL for any still running after "
          + ClusterOptions.STOP_WAIT_MS_DEFAULT / 1000 + " s. Data and logs stay.")
  static final class Stop extends Action {
    @Override
    int act(PrintStream out) {
      LocalCluster c = cluster(options(), out);
      c.topology();
      logToFile(c.dir());
      c.stop();
      out.println("stopped the cluster in " + c.dir() + " (data and logs kept; 'cairn cluster start --dir "
          + c.dir() + "' starts it again)");
      return 0;
    }
  }

  /**
   * Sends this JVM's log lines (the launcher's decisions, and the metadata client's complaints when
   * the group does not answer) to {@code DIR/cluster.log} in the server's JSON format instead of the
   * terminal, where the person reads progress.
   */
  static void logToFile(Path dir) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(ctx);
    encoder.getFieldNames().setTimestamp("ts");
    encoder.getFieldNames().setVersion("[ignore]");
    encoder.getFieldNames().setLevelValue("[ignore]");
    encoder.start();
    FileAppender<ILoggingEvent> file = new FileAppender<>();
    file.setContext(ctx);
    file.setName("cluster-log");
    file.setFile(dir.resolve(LAUNCHER_LOG).toString());
    file.setAppend(true);
    file.setEncoder(encoder);
    file.start();
    // gRPC (inside Ratis's client) logs through java.util.logging straight to the console.
    java.util.logging.LogManager.getLogManager().reset();
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(file);
  }
}
