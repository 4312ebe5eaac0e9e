package io.cairn.endpoint.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.endpoint.ActiveRecord;
import io.cairn.endpoint.EndpointNames;
import io.cairn.endpoint.TreeBuilder;
import io.cairn.endpoint.dns.ChangeBatch;
import io.cairn.endpoint.dns.InMemoryZone;
import io.cairn.endpoint.plan.Plan;
import io.cairn.endpoint.plan.PlanVersion;
import io.cairn.endpoint.plan.Target;
import io.cairn.endpoint.server.DnsServer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unmodified JVM client (plain {@code InetAddress}, what HTTP clients and the AWS SDK use)
 * resolving the endpoint through Cairn's DNS server, in a child JVM with the resolver provider
 * registered: the first address follows the plan's weights within ±10%.
 */
class CairnDnsResolverProviderTest {
  @TempDir Path dir;

  @Test
  void jvmClientsSpreadByThePlanWeights() throws Exception {
    EndpointNames names = EndpointNames.defaults();
    InMemoryZone zone = new InMemoryZone(names.zone());
    Plan plan = Plan.of(PlanVersion.of(3), List.of(
        new Target("lb-az1-001", "az1", List.of("127.0.1.1"), 1),
        new Target("lb-az2-001", "az2", List.of("127.0.1.2"), 2),
        new Target("lb-az3-001", "az3", List.of("127.0.1.3"), 3)));
    ChangeBatch.Builder b = ChangeBatch.builder("tree");
    TreeBuilder.records(names, plan).forEach(b::create);
    b.create(TreeBuilder.root(names, plan)).create(ActiveRecord.of(plan).toRecord(names));
    zone.apply(b.build());

    Path services = dir.resolve("META-INF/services/java.net.spi.InetAddressResolverProvider");
    Files.createDirectories(services.getParent());
    Files.writeString(services, CairnDnsResolverProvider.class.getName() + "\n");
    int lookups = 3_000;
    try (DnsServer server = new DnsServer(InetAddress.getLoopbackAddress(), 0, zone, null,
        new SplittableRandom(11))) {
      String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      String cp = dir + java.io.File.pathSeparator + System.getProperty("java.class.path");
      Process p = new ProcessBuilder(javaBin, "-cp", cp, "-Dcairn.dns.server=127.0.0.1:" + server.port(),
          ResolverProbe.class.getName(), names.endpoint(), String.valueOf(lookups))
          .redirectErrorStream(true).start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isZero();
      Map<String, Integer> first = new HashMap<>();
      for (String line : out.lines().toList()) {
        if (line.startsWith("first ")) {
          String[] f = line.split(" ");
          first.put(f[1], Integer.parseInt(f[2]));
        }
      }
      assertThat(out).contains("localhost 127.0.0.1");
      for (Target t : plan.targets()) {
        double expected = t.weight() / 6.0;
        double seen = first.getOrDefault(t.addresses().getFirst(), 0) / (double) lookups;
        assertThat(seen).as("%s share, output:%n%s", t.id(), out)
            .isBetween(expected * 0.9, expected * 1.1);
      }
    }
  }
}
