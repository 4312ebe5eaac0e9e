package io.cairn.endpoint.runtime;

import io.cairn.endpoint.DecisionLog;
import io.cairn.endpoint.EndpointNames;
import io.cairn.endpoint.dns.InMemoryZone;
import io.cairn.endpoint.rfc2136.Rfc2136Provider;
import io.cairn.endpoint.server.DnsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs the endpoint manager role: the in-memory zone, Cairn's DNS server on it, and the planner and
 * three enactors. For a local cluster:
 *
 * <pre>
 * --fleet FILE      router health and capacity (JSON, see FileFleetSource)   required
 * --plans DIR       plan store directory                                     required
 * --bind ADDR       DNS server address (127.0.0.1)   --port N (8053)
 * --zone Z (cairn.internal)  --region R (local)  --service S (dynamodb)
 * --tsig ALG:NAME:SECRET     accept RFC 2136 updates signed with this key (operator tools);
 *                            $CAIRN_DNS_TSIG works too; without it updates are refused
 * --interval-ms N (1000)  --lease-ms N (30000)  --keep N (5)
 * </pre>
 */
public final class EndpointMain implements AutoCloseable {
  private final DnsServer server;
  private final EndpointManager manager;

  private EndpointMain(DnsServer server, EndpointManager manager) {
    this.server = server;
    this.manager = manager;
  }

  public static void main(String[] args) throws Exception {
    EndpointMain m = start(args, System.getenv());
    Runtime.getRuntime().addShutdownHook(new Thread(m::close));
    Thread.currentThread().join();
  }

  public int port() {
    return server.port();
  }

  /** Starts everything and returns; {@link #close} stops it. */
  public static EndpointMain start(String[] args, Map<String, String> env) throws IOException {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("bind", "127.0.0.1");
    o.put("port", String.valueOf(DnsServer.PORT_DEFAULT));
    o.put("zone", "cairn.internal");
    o.put("region", "local");
    o.put("service", "dynamodb");
    o.put("interval-ms", "1000");
    o.put("lease-ms", "30000");
    o.put("keep", "5");
    if (env.containsKey("CAIRN_DNS_TSIG")) {
      o.put("tsig", env.get("CAIRN_DNS_TSIG"));
    }
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      o.put(args[i].substring(2), args[i + 1]);
    }
    if (!o.containsKey("fleet") || !o.containsKey("plans")) {
      throw new IllegalArgumentException("--fleet FILE and --plans DIR are required");
    }
    EndpointNames names = new EndpointNames(o.get("service"), o.get("region"), o.get("zone"));
    InMemoryZone zone = new InMemoryZone(names.zone());
    long intervalMs = Long.parseLong(o.get("interval-ms"));
    EndpointManager.Config cfg = new EndpointManager.Config(names, java.util.List.of("az1", "az2", "az3"),
        intervalMs, intervalMs, Long.parseLong(o.get("lease-ms")), Integer.parseInt(o.get("keep")));
    DnsServer server = new DnsServer(InetAddress.getByName(o.get("bind")), Integer.parseInt(o.get("port")),
        zone, o.containsKey("tsig") ? Rfc2136Provider.tsig(o.get("tsig")) : null, new SplittableRandom());
    EndpointManager manager = new EndpointManager(cfg, zone, new FilePlanStore(Path.of(o.get("plans"))),
        new FileFleetSource(Path.of(o.get("fleet"))), System::currentTimeMillis, new SplittableRandom(),
        DecisionLog.slf4j(names.endpoint()));
    manager.start();
    return new EndpointMain(server, manager);
  }

  @Override
  public void close() {
    manager.close();
    server.close();
  }
}
