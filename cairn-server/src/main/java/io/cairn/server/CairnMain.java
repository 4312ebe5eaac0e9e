package io.cairn.server;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code cairn} command line. {@code bin/cairn} builds the project and runs this class. */
@Command(
    name = "cairn",
    mixinStandardHelpOptions = true,
    versionProvider = CairnMain.Version.class,
    description = "A DynamoDB-compatible database built the way DynamoDB is built.",
    subcommands = {CairnMain.Start.class, CairnMain.Endpoint.class, CairnMain.Backfill.class,
        io.cairn.server.cluster.NodeCommand.class, io.cairn.server.cluster.ClusterCommand.class})
public final class CairnMain implements Runnable {

  public static void main(String[] args) {
    int exitCode = new CommandLine(new CairnMain()).execute(args);
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** {@code cairn start}: every role in one process, like DynamoDB Local but persistent and faithful. */
  @Command(name = "start", mixinStandardHelpOptions = true, description = "Run a single-process Cairn server.")
  static final class Start implements Callable<Integer> {
    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", description = "TCP port (default: ${DEFAULT-VALUE}).", defaultValue = "8000")
    int port;

    @Option(names = "--data-dir", description = "Data directory (default: ${DEFAULT-VALUE}).", defaultValue = "cairn-data")
    Path dataDir;

    @Option(names = "--in-memory", description = "Keep all data in memory; nothing survives exit.")
    boolean inMemory;

    @Option(names = "--credentials", paramLabel = "FILE",
        description = "File of 'ACCESS_KEY_ID SECRET_ACCESS_KEY' lines; every request's SigV4 signature is verified.")
    Path credentials;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain: serve HTTPS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key for --tls-cert.")
    Path tlsKey;

    @Override
    public Integer call() throws Exception {
      if ((tlsCert == null) != (tlsKey == null)) {
        System.err.println("cairn: --tls-cert and --tls-key go together");
        return 2;
      }
      if (credentials == null && !isLoopback(host)) {
        // Without credentials any signature is accepted, so the server must not be reachable from
        // other machines.
        System.err.println("cairn: refusing to bind " + host + " without --credentials; "
            + "without credentials Cairn accepts any signature and serves loopback only");
        return 2;
      }
      CairnConfig config = new CairnConfig(host, port, dataDir, inMemory, credentials, tlsCert, tlsKey);
      CairnServer server = CairnServer.start(config);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stopped.countDown();
      }, "cairn-shutdown"));
      System.out.println(server.startupBanner());
      System.out.flush();
      stopped.await();
      return 0;
    }

    private static boolean isLoopback(String host) {
      return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }
  }

  /**
   * {@code cairn endpoint ...}: the operator's tools for the DNS endpoint, acting on DNS directly so
   * that they work when the automation is what broke (docs/endpoint.md).
   */
  @Command(name = "endpoint",
      description = "Operate the DNS endpoint: show | freeze REASON | unfreeze | rollback VERSION | set-weights ID=W... "
          + "(options: --server HOST:PORT, --tsig ALG:NAME:SECRET, --zone, --region, --service, --operator)")
  static final class Endpoint implements Callable<Integer> {
    @CommandLine.Unmatched
    java.util.List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() {
      return io.cairn.endpoint.tools.EndpointTool.run(args.toArray(String[]::new), System.out, System.err, System.getenv());
    }
  }

  /** {@code cairn backfill}: a progress bar for GSIs being created on a live table. */
  @Command(name = "backfill", mixinStandardHelpOptions = true,
      description = "Show the backfill progress of a table's global secondary indexes until they are ACTIVE.")
  static final class Backfill implements Callable<Integer> {
    @Option(names = "--table", required = true, description = "Table name.")
    String table;

    @Option(names = "--index", description = "Only this index.")
    String index;

    @Option(names = "--endpoint", defaultValue = "http://127.0.0.1:8000", description = "Cairn endpoint (default: ${DEFAULT-VALUE}).")
    java.net.URI endpoint;

    @Option(names = "--interval-ms", defaultValue = "1000", description = "Refresh interval (default: ${DEFAULT-VALUE}).")
    long intervalMs;

    @Option(names = "--once", description = "Show the progress once and exit (exit code 0 when ACTIVE, 3 otherwise).")
    boolean once;

    @Override
    public Integer call() throws Exception {
      String accessKey = System.getenv().getOrDefault("AWS_ACCESS_KEY_ID", "cairn");
      String secret = System.getenv().getOrDefault("AWS_SECRET_ACCESS_KEY", "cairn");
      String region = System.getenv().getOrDefault("AWS_REGION", "us-east-1");
      BackfillProgress progress = new BackfillProgress(endpoint, accessKey, secret, region);
      while (true) {
        boolean active = progress.show(table, index, System.out);
        System.out.flush();
        if (active) {
          return 0;
        }
        if (once) {
          return 3;
        }
        Thread.sleep(intervalMs);
      }
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"cairn " + CairnServer.version()};
    }
  }
}
