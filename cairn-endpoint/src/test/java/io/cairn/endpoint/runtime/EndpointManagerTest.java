package io.cairn.endpoint.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.endpoint.DecisionLog;
import io.cairn.endpoint.EndpointNames;
import io.cairn.endpoint.dns.InMemoryZone;
import io.cairn.endpoint.plan.RouterStatus;
import io.cairn.endpoint.server.DnsServer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
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
 * The whole manager in one process: fleet file → planner → file plan store → three enactor threads
 * → in-memory zone → DNS server, queried over UDP. A router marked unhealthy leaves DNS; the time
 * it takes is printed (it is bounded by the planner and enactor intervals).
 */
class EndpointManagerTest {
  @TempDir Path dir;

  private static List<RouterStatus> fleet(boolean secondHealthy) {
    return List.of(
        new RouterStatus("lb-az1-001", "az1", "127.0.1.1", 2, true),
        new RouterStatus("lb-az2-001", "az2", "127.0.1.2", 2, secondHealthy),
        new RouterStatus("lb-az3-001", "az3", "127.0.1.3", 2, true));
  }

  private static TreeSet<String> query(DnsServer server, EndpointNames names) throws Exception {
    SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
    r.setPort(server.port());
    r.setTimeout(Duration.ofSeconds(2));
    Message m = r.send(Message.newQuery(
        Record.newRecord(Name.fromString(names.endpoint() + "."), Type.A, DClass.IN)));
    TreeSet<String> out = new TreeSet<>();
    for (Record rr : m.getSection(Section.ANSWER)) {
      out.add(((ARecord) rr).getAddress().getHostAddress());
    }
    return out;
  }

  private static TreeSet<String> awaitAnswer(DnsServer server, EndpointNames names, List<String> want,
      long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    TreeSet<String> got = new TreeSet<>();
    while (System.nanoTime() < deadline) {
      got = query(server, names);
      if (got.equals(new TreeSet<>(want))) {
        return got;
      }
      Thread.sleep(10);
    }
    return got;
  }

  @Test
  void routersComeAndGoFromDns() throws Exception {
    EndpointNames names = EndpointNames.defaults();
    Path fleetFile = dir.resolve("fleet.json");
    FileFleetSource.write(fleetFile, fleet(true));
    InMemoryZone zone = new InMemoryZone(names.zone());
    FilePlanStore plans = new FilePlanStore(dir.resolve("plans"));
    DecisionLog.Recording log = new DecisionLog.Recording(names.endpoint(), 10_000);
    EndpointManager.Config cfg = new EndpointManager.Config(names, List.of("az1", "az2", "az3"),
        50, 50, 2_000, 3);
    try (DnsServer server = new DnsServer(InetAddress.getLoopbackAddress(), 0, zone, null,
            new SplittableRandom(1));
        EndpointManager m = new EndpointManager(cfg, zone, plans, new FileFleetSource(fleetFile),
            System::currentTimeMillis, new SplittableRandom(2), log)) {
      m.start();
      assertThat(awaitAnswer(server, names, List.of("127.0.1.1", "127.0.1.2", "127.0.1.3"), 10_000))
          .containsExactly("127.0.1.1", "127.0.1.2", "127.0.1.3");

      long deathNs = System.nanoTime();
      FileFleetSource.write(fleetFile, fleet(false));
      assertThat(awaitAnswer(server, names, List.of("127.0.1.1", "127.0.1.3"), 10_000))
          .containsExactly("127.0.1.1", "127.0.1.3");
      long goneMs = (System.nanoTime() - deathNs) / 1_000_000;
      System.out.println("router marked unhealthy -> gone from DNS in " + goneMs
          + " ms (planner and enactor intervals 50 ms)");

      FileFleetSource.write(fleetFile, fleet(true));
      assertThat(awaitAnswer(server, names, List.of("127.0.1.1", "127.0.1.2", "127.0.1.3"), 10_000))
          .hasSize(3);
    }
    List<String> published = new ArrayList<>();
    plans.versions().forEach(v -> published.add(v.label()));
    assertThat(published).containsExactly("p000001", "p000002", "p000003");
    assertThat(plans.newest().orElseThrow().targets()).hasSize(3);
    assertThat(log.decisions()).noneMatch(d -> "FROZEN".equals(d.result()));
  }
}
