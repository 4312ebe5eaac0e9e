package io.cairn.server.cluster;

import io.cairn.endpoint.DecisionLog;
import io.cairn.endpoint.EndpointNames;
import io.cairn.endpoint.dns.InMemoryZone;
import io.cairn.endpoint.rfc2136.Rfc2136Provider;
import io.cairn.endpoint.runtime.EndpointManager;
import io.cairn.endpoint.runtime.FilePlanStore;
import io.cairn.endpoint.runtime.ProbingFleetSource;
import io.cairn.endpoint.server.DnsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ENDPOINT role of a local cluster: Cairn's DNS server on the process's address and port
 * (127.0.0.1:8053 by default) serving an in-memory zone, and the endpoint manager (planner and
 * three enactors, docs/endpoint.md) whose fleet is the topology's routers, health-probed over HTTP.
 * Plans are kept in {@code DATA_DIR/plans}, so a restarted endpoint manager goes on numbering where
 * it stopped and reinstalls the newest plan into its fresh zone.
 *
 * <p>The operator tools ({@code cairn endpoint ...}) need the TSIG key this server accepts updates
 * with: {@code $CAIRN_DNS_TSIG} if set, else {@code DATA_DIR/tsig}, created on first start with a
 * random secret and readable only by its owner.
 */
public final class EndpointProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointProcess.class);

  public static final String TSIG_FILE = "tsig";
  public static final String TSIG_KEY_NAME = "cairn-ops";
  public static final int TSIG_SECRET_BYTES = 32;
  /** Every router has the same weight in a local cluster: they are alike. */
  public static final int ROUTER_CAPACITY = 1;

  private final DnsServer server;
  private final EndpointManager manager;
  private final ProbingFleetSource fleet;

  private EndpointProcess(DnsServer server, EndpointManager manager, ProbingFleetSource fleet) {
    this.server = server;
    this.manager = manager;
    this.fleet = fleet;
  }

  /** Runs the role until the JVM is asked to stop (SIGTERM), then stops it cleanly. */
  public static void run(ClusterTopology topology, ProcessSpec self) throws IOException, InterruptedException {
    EndpointProcess p = start(topology, self, System::currentTimeMillis, System.getenv());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      p.close();
      stopped.countDown();
    }, "cairn-endpoint-shutdown"));
    stopped.await();
  }

  /** Starts the DNS server and the manager and returns; {@link #close} stops them. */
  public static EndpointProcess start(ClusterTopology topology, ProcessSpec self, LongSupplier clockMs,
      Map<String, String> env) throws IOException {
    if (self.role() != Role.ENDPOINT) {
      throw new IllegalArgumentException(self.name() + " is a " + self.role() + " process, not ENDPOINT");
    }
    Files.createDirectories(self.dataDir());
    List<ProbingFleetSource.Router> routers = topology.byRole(Role.ROUTER).stream()
        .map(r -> new ProbingFleetSource.Router(r.name(), r.az(), r.host(), r.port(), ROUTER_CAPACITY))
        .toList();
    EndpointNames names = EndpointNames.defaults();
    InMemoryZone zone = new InMemoryZone(names.zone());
    Path keyFile = self.dataDir().resolve(TSIG_FILE);
    String tsig = env.containsKey("CAIRN_DNS_TSIG") ? env.get("CAIRN_DNS_TSIG") : tsigKey(keyFile);
    DnsServer server = new DnsServer(InetAddress.getByName(self.host()), self.port(), zone,
        Rfc2136Provider.tsig(tsig), new SplittableRandom());
    ProbingFleetSource fleet = ProbingFleetSource.http(routers, clockMs);
    EndpointManager manager;
    try {
      manager = new EndpointManager(EndpointManager.Config.local(names), zone,
          new FilePlanStore(self.dataDir().resolve("plans")), fleet, clockMs, new SplittableRandom(),
          DecisionLog.slf4j(names.endpoint()));
      manager.start();
    } catch (IOException | RuntimeException e) {
      fleet.close();
      server.close();
      throw e;
    }
    LOG.atInfo().addKeyValue("component", "endpoint").addKeyValue("process", self.name())
        .addKeyValue("endpoint", names.endpoint()).addKeyValue("dns", self.host() + ":" + server.port())
        .addKeyValue("routers", routers.stream().map(ProbingFleetSource.Router::id).toList())
        .log("serving {} on {}:{} for {} router(s); operator tools: export CAIRN_DNS_TSIG=$(cat {})",
            names.endpoint(), self.host(), server.port(), routers.size(), keyFile);
    return new EndpointProcess(server, manager, fleet);
  }

  public int dnsPort() {
    return server.port();
  }

  /** The key in {@code file}, created with a fresh random secret if there is none yet. */
  static String tsigKey(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] secret = new byte[TSIG_SECRET_BYTES];
      new SecureRandom().nextBytes(secret);
      String spec = "hmac-sha256:" + TSIG_KEY_NAME + ":" + Base64.getEncoder().encodeToString(secret);
      // Written whole and renamed into place, so nobody reads half a key.
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, spec + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
    return Files.readString(file, StandardCharsets.US_ASCII).strip();
  }

  @Override
  public void close() {
    manager.close();
    fleet.close();
    server.close();
  }
}
