package io.cairn.it.cluster;

import io.cairn.it.support.ClusterPorts;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.endpoint.client.CairnDnsResolverProvider;
import io.cairn.server.cluster.ClusterOptions;
import io.cairn.server.cluster.ClusterTopology;
import io.cairn.server.cluster.EndpointProcess;
import io.cairn.server.cluster.LocalCluster;
import io.cairn.server.cluster.ProcessSpec;
import io.cairn.server.cluster.Role;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Issue 5, end to end on the local cluster: an unmodified AWS SDK v2 client in another JVM resolves
 * the endpoint through Cairn's DNS ({@code CairnDnsResolverProvider}) and spreads its requests over
 * the routers by the plan's weights; a router killed with SIGKILL leaves DNS and the client stops
 * going to it.
 *
 * <p>Spread: {@value #SPREAD_REQUESTS} DescribeLimits requests, each on a new connection (so each
 * resolves the name again), with the JVM's lookup cache off. The routers' own
 * {@code cairn_requests_total{operation="DescribeLimits",outcome="ok"}} counters say who served
 * what. Every router has the same weight ({@link EndpointProcess#ROUTER_CAPACITY}), so each share
 * must be within ±10% of 1/3, i.e. in [0.300, 0.367]. Precision: each request picks its router
 * independently, so a share has standard deviation sqrt(p(1-p)/N) = sqrt((1/3)(2/3)/3000) = 0.0086;
 * the tolerance 0.0333 is 3.9 standard deviations, so a correct cluster fails this check with a
 * probability of about 1e-4 per router, 3e-4 per run.
 *
 * <p>Recovery: a second client JVM with the lookup cache at the endpoint's TTL (5 s, as
 * docs/endpoint.md tells clients to configure it) sends requests one at a time; the test kills the
 * router that client is connected to. Measured from the kill: when the DNS server's answer lost it
 * ({@code dnsDroppedAfterMs}), when the last request failed or went to the dead router first
 * ({@code recoveredAfterMs}), and when the dead address was last in an answer the client used
 * ({@code outOfClientDnsAfterMs}). The last two are bounded by the DNS change plus what is left of
 * the client's 5 s cache; both must be within {@link #RECOVERY_MS_MAX} (room for a loaded machine),
 * and after them every request succeeds with the dead router in no answer for at least
 * {@link #HEALTHY_TAIL_MS_MIN}. Apache's connection operator tries the next address when the first
 * refuses, so most requests to the dead router fail over instead of failing; only one in flight at
 * the kill is expected to fail.
 */
class EndpointDnsClientTest {
  private static final String ENDPOINT = "dynamodb.local.cairn.internal";
  private static final int ROUTERS = 3;
  private static final int SPREAD_REQUESTS = 3_000;
  private static final int SPREAD_THREADS = 3;
  private static final double SHARE_TOLERANCE = 0.10;
  private static final long RECOVERY_MS_MAX = 15_000;
  /** Traffic the client must send, all of it healthy, after it recovered. */
  private static final long HEALTHY_TAIL_MS_MIN = 3_000;
  private static final long BEFORE_KILL_MS = 2_000;
  private static final long RUN_MS = BEFORE_KILL_MS + RECOVERY_MS_MAX + HEALTHY_TAIL_MS_MIN + 2_000;
  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(120);

  @TempDir Path dir;

  @Test
  void sdkClientSpreadsByWeightAndLeavesAKilledRouter() throws Exception {
    ClusterPorts ports = ClusterPorts.find(ROUTERS);
    ClusterOptions options = ports.applyTo(ClusterOptions.defaults(dir.resolve("cluster")))
        .withShape(3, 1, ROUTERS)
        .withHeapMbMax(384)
        .withTimeouts(150_000, 10_000);
    LocalCluster cluster = new LocalCluster(options, System::currentTimeMillis,
        line -> System.out.println("[cluster] " + line));
    Thread stopOnExit = new Thread(() -> stopQuietly(cluster), "stop-local-cluster");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    try {
      long t0 = System.nanoTime();
      ClusterTopology topology = cluster.start();
      System.out.printf("cluster start took %.1f s%n", (System.nanoTime() - t0) / 1e9);
      List<ProcessSpec> routers = topology.byRole(Role.ROUTER);
      assertThat(routers).hasSize(ROUTERS);
      URI endpoint = URI.create("http://" + ENDPOINT + ":" + ports.router());

      // ---- spread ------------------------------------------------------------------------------
      Map<String, Long> before = servedByRouter(routers);
      List<String> out = runChild(ports.dns(), List.of("spread", endpoint.toString(), "" + SPREAD_REQUESTS,
          "" + SPREAD_THREADS, "0"));
      assertThat(value(out, "failed")).as(String.join("\n", out)).isZero();
      assertThat(value(out, "ok")).isEqualTo(SPREAD_REQUESTS);
      Map<String, Long> after = servedByRouter(routers);
      long total = 0;
      Map<String, Long> served = new LinkedHashMap<>();
      for (ProcessSpec r : routers) {
        long n = after.get(r.name()) - before.get(r.name());
        served.put(r.name(), n);
        total += n;
      }
      assertThat(total).as("requests the routers counted").isEqualTo(SPREAD_REQUESTS);
      double expected = (double) EndpointProcess.ROUTER_CAPACITY / (ROUTERS * EndpointProcess.ROUTER_CAPACITY);
      StringBuilder shares = new StringBuilder();
      for (ProcessSpec r : routers) {
        double share = served.get(r.name()) / (double) total;
        shares.append(shares.isEmpty() ? "" : ",").append(String.format("%s=%.3f", r.name(), share));
      }
      System.out.println("spread: served " + served + " of " + total + " requests; client lookups "
          + value(out, "lookups") + " in " + value(out, "elapsedMs") + " ms; expected share " + String.format("%.3f", expected)
          + " ±" + (int) (SHARE_TOLERANCE * 100) + "%");
      for (ProcessSpec r : routers) {
        double share = served.get(r.name()) / (double) total;
        assertThat(share).as("%s share (%s)", r.name(), shares)
            .isBetween(expected * (1 - SHARE_TOLERANCE), expected * (1 + SHARE_TOLERANCE));
      }

      // ---- kill the router the client is using; it recovers --------------------------------------
      Recovery rec = killDuringTraffic(cluster, routers, ports.dns(), endpoint);
      System.out.printf("dns-client: shares=%s recoveredAfterMs=%d outOfClientDnsAfterMs=%d dnsDroppedAfterMs=%d"
              + " killed=%s requestsAfterKill=%d failedAfterKill=%d toDeadRouterAfterKill=%d healthyTailMs=%d%n",
          shares, rec.recoveredAfterMs(), rec.outOfClientDnsAfterMs(), rec.dnsDroppedAfterMs(), rec.killed(),
          rec.requestsAfterKill(),
          rec.failedAfterKill(), rec.toDeadAfterKill(), rec.healthyTailMs());
      assertThat(rec.recoveredAfterMs()).isLessThanOrEqualTo(RECOVERY_MS_MAX);
      assertThat(rec.outOfClientDnsAfterMs()).isLessThanOrEqualTo(RECOVERY_MS_MAX);
      assertThat(rec.healthyTailMs()).isGreaterThanOrEqualTo(HEALTHY_TAIL_MS_MIN);
    } finally {
      stopQuietly(cluster);
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    }
  }

  record Recovery(String killed, long dnsDroppedAfterMs, long recoveredAfterMs, long outOfClientDnsAfterMs,
      int requestsAfterKill, int failedAfterKill, int toDeadAfterKill, long healthyTailMs) {}

  /**
   * Starts the one-at-a-time client, kills the router its newest connection went to once it has
   * sent traffic for {@link #BEFORE_KILL_MS}, and reads what happened after the kill from its lines.
   */
  private Recovery killDuringTraffic(LocalCluster cluster, List<ProcessSpec> routers, int dnsPort, URI endpoint)
      throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    Process child = startChild(dnsPort, List.of("run", endpoint.toString(), "" + RUN_MS, "5"), lines);
    try {
      long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
      while (!lines.contains("running")) {
        assertThat(child.isAlive() && System.nanoTime() < deadline).as("client never ran: %s", lines).isTrue();
        Thread.sleep(50);
      }
      Thread.sleep(BEFORE_KILL_MS);
      String using = null;
      for (String l : lines) {
        String[] f = l.split(" ");
        if (f[0].equals("req") && !f[3].equals("-")) {
          using = f[3].split(",")[0];
        }
      }
      assertThat(using).as("no request resolved the endpoint: %s", lines).isNotNull();
      String dead = using;
      ProcessSpec victim = routers.stream().filter(r -> r.host().equals(dead)).findFirst().orElseThrow();
      long killedAtMs = System.currentTimeMillis();
      cluster.kill(victim.name());
      System.out.printf("killed %s (%s), the router the client was using, at %d%n", victim.name(), dead, killedAtMs);
      long dnsDroppedMs = awaitDnsWithout(dnsPort, dead) - killedAtMs;
      System.out.printf("%s left the DNS server's answer %d ms after SIGKILL%n", victim.name(), dnsDroppedMs);
      assertThat(child.waitFor(CHILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      child.getInputStream().close();
      Thread.sleep(200); // let the reader thread take the last lines
      assertThat(lines).as("client output").contains("done");

      long lastBadMs = 0;
      long lastDeadInAnswerMs = 0;
      long lastReqMs = killedAtMs;
      int after = 0;
      int failed = 0;
      int toDead = 0;
      for (String l : lines) {
        String[] f = l.split(" ");
        if (!f[0].equals("req")) {
          continue;
        }
        long at = Long.parseLong(f[1]);
        if (at <= killedAtMs) {
          continue;
        }
        after++;
        lastReqMs = at;
        List<String> answer = f[3].equals("-") ? List.of() : List.of(f[3].split(","));
        boolean fail = f[2].equals("fail");
        boolean first = !answer.isEmpty() && answer.getFirst().equals(dead);
        failed += fail ? 1 : 0;
        toDead += first ? 1 : 0;
        if (fail || first) {
          lastBadMs = at - killedAtMs;
        }
        if (answer.contains(dead)) {
          lastDeadInAnswerMs = at - killedAtMs;
        }
      }
      lines.stream().filter(l -> l.startsWith("error ")).limit(5).forEach(System.out::println);
      long recoveredMs = Math.max(lastBadMs, lastDeadInAnswerMs);
      return new Recovery(victim.name(), dnsDroppedMs, lastBadMs, lastDeadInAnswerMs, after, failed, toDead,
          lastReqMs - killedAtMs - recoveredMs);
    } finally {
      child.destroyForcibly();
    }
  }

  /**
   * Asks the DNS server (dnsjava, UDP, as any resolver would) every 20 ms until its answer lacks
   * {@code dead}; returns the wall-clock time it did.
   */
  private static long awaitDnsWithout(int dnsPort, String dead) throws Exception {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", dnsPort));
    r.setTimeout(Duration.ofSeconds(2));
    long deadline = System.nanoTime() + RECOVERY_MS_MAX * 1_000_000;
    while (System.nanoTime() < deadline) {
      Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(ENDPOINT + "."), Type.A, DClass.IN)));
      List<String> answer = new ArrayList<>();
      for (Record rec : m.getSection(Section.ANSWER)) {
        if (rec instanceof ARecord a) {
          answer.add(a.getAddress().getHostAddress());
        }
      }
      if (!answer.isEmpty() && !answer.contains(dead)) {
        return System.currentTimeMillis();
      }
      Thread.sleep(20);
    }
    throw new AssertionError(dead + " still in the endpoint's answer " + RECOVERY_MS_MAX + " ms after the kill");
  }

  /** Runs the client to the end and returns its output lines; fails if it exits non-zero. */
  private List<String> runChild(int dnsPort, List<String> args) throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    Process p = startChild(dnsPort, args, lines);
    try {
      assertThat(p.waitFor(CHILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("client finished").isTrue();
      Thread.sleep(200);
      assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
      return lines;
    } finally {
      p.destroyForcibly();
    }
  }

  /**
   * A child JVM with this JVM's class path plus a directory that registers Cairn's resolver
   * provider, pointed at the cluster's DNS server; its output lines go to {@code lines} (and stderr
   * into the same stream).
   */
  private Process startChild(int dnsPort, List<String> args, List<String> lines) throws IOException {
    Path services = dir.resolve("resolver/META-INF/services/java.net.spi.InetAddressResolverProvider");
    Files.createDirectories(services.getParent());
    Files.writeString(services, CairnDnsResolverProvider.class.getName() + "\n");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", dir.resolve("resolver") + File.pathSeparator + System.getProperty("java.class.path"),
        "-Dcairn.dns.server=127.0.0.1:" + dnsPort, EndpointDnsClient.class.getName()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lines.add(line);
          if (!line.startsWith("req ")) {
            System.out.println("[client] " + line);
          }
        }
      } catch (IOException e) {
        // The stream closes when the child ends; nothing more to read.
      }
    }, "endpoint-dns-client-output");
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  private static long value(List<String> lines, String key) {
    return lines.stream().filter(l -> l.startsWith(key + " ")).mapToLong(l -> Long.parseLong(l.split(" ")[1]))
        .findFirst().orElseThrow(() -> new AssertionError("no '" + key + "' line in " + lines));
  }

  /** Each router's count of successful DescribeLimits requests, from its own {@code GET /metrics}. */
  private static Map<String, Long> servedByRouter(List<ProcessSpec> routers) throws Exception {
    Map<String, Long> out = new LinkedHashMap<>();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      for (ProcessSpec r : routers) {
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://" + r.address() + "/metrics"))
            .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).as("%s /metrics", r.name()).isEqualTo(200);
        out.put(r.name(), describeLimitsOk(resp.body()));
      }
    }
    return out;
  }

  static long describeLimitsOk(String metrics) {
    double sum = 0;
    for (String line : metrics.lines().toList()) {
      if (line.startsWith("cairn_requests_total{") && line.contains("operation=\"DescribeLimits\"")
          && line.contains("outcome=\"ok\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Math.round(sum);
  }

  private static void stopQuietly(LocalCluster cluster) {
    try {
      cluster.stop();
    } catch (RuntimeException e) {
      System.err.println("could not stop the cluster: " + e);
    }
  }
}
