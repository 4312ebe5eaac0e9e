package io.cairn.endpoint.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.endpoint.EndpointNames;
import io.cairn.endpoint.TreeBuilder;
import io.cairn.endpoint.ActiveRecord;
import io.cairn.endpoint.dns.ChangeBatch;
import io.cairn.endpoint.dns.DnsRecord;
import io.cairn.endpoint.dns.InMemoryZone;
import io.cairn.endpoint.plan.Plan;
import io.cairn.endpoint.plan.PlanVersion;
import io.cairn.endpoint.plan.Target;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The DNS server answering from the in-memory zone, queried with dnsjava and with dig. */
class DnsServerTest {
  static final EndpointNames NAMES = EndpointNames.defaults();
  static InMemoryZone zone;
  static DnsServer server;
  static Plan plan;

  @BeforeAll
  static void start() throws IOException {
    zone = new InMemoryZone(NAMES.zone());
    plan = Plan.of(PlanVersion.of(145), List.of(
        new Target("lb-az1-007", "az1", List.of("127.0.1.7"), 1),
        new Target("lb-az2-003", "az2", List.of("127.0.1.3"), 2),
        new Target("lb-az3-001", "az3", List.of("127.0.1.1"), 5)));
    ChangeBatch.Builder b = ChangeBatch.builder("test tree");
    TreeBuilder.records(NAMES, plan).forEach(b::create);
    b.create(TreeBuilder.root(NAMES, plan));
    b.create(ActiveRecord.of(plan).toRecord(NAMES));
    assertThat(zone.apply(b.build()).applied()).isTrue();
    server = new DnsServer(InetAddress.getLoopbackAddress(), 0, zone, null, new SplittableRandom(7));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Message query(String name, int type, boolean tcp) throws IOException {
    SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
    r.setPort(server.port());
    r.setTCP(tcp);
    r.setTimeout(Duration.ofSeconds(3));
    return r.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
  }

  @Test
  void endpointResolvesThroughTheAliasTreeOverUdpAndTcp() throws IOException {
    for (boolean tcp : new boolean[] {false, true}) {
      Message m = query(NAMES.endpoint(), Type.A, tcp);
      assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
      List<String> addrs = new ArrayList<>();
      for (Record r : m.getSection(Section.ANSWER)) {
        assertThat(r).isInstanceOf(ARecord.class);
        assertThat(r.getName().toString()).isEqualTo(NAMES.endpoint() + ".");
        assertThat(r.getTTL()).isBetween(5L, 60L);
        addrs.add(((ARecord) r).getAddress().getHostAddress());
      }
      assertThat(addrs).containsExactlyInAnyOrder("127.0.1.7", "127.0.1.3", "127.0.1.1");
    }
  }

  @Test
  void leavesAndControlRecordsAreVisible() throws IOException {
    Message leaf = query("lb-az1-007.p000145." + NAMES.endpoint(), Type.A, false);
    assertThat(((ARecord) leaf.getSection(Section.ANSWER).getFirst()).getAddress().getHostAddress())
        .isEqualTo("127.0.1.7");
    Message active = query(NAMES.active(), Type.TXT, false);
    assertThat(active.getSection(Section.ANSWER).getFirst().rdataToString())
        .contains("version=145", "hash=" + plan.hash());
  }

  @Test
  void missingNamesAreNxdomainWithAShortNegativeTtl() throws IOException {
    Message m = query("p000110." + NAMES.endpoint(), Type.A, false);
    assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    SOARecord soa = (SOARecord) m.getSection(Section.AUTHORITY).getFirst();
    assertThat(soa.getMinimum()).isLessThanOrEqualTo(30);
    assertThat(soa.getTTL()).isLessThanOrEqualTo(30);
    assertThat(query("elsewhere.example", Type.A, false).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void firstAddressFollowsThePlanWeightsWithinTenPercent() {
    Answerer a = new Answerer(new SplittableRandom(42));
    Map<String, Integer> first = new HashMap<>();
    int queries = 20_000;
    for (int i = 0; i < queries; i++) {
      first.merge(a.addresses(zone.snapshot(), NAMES.endpoint()).getFirst().address(), 1, Integer::sum);
    }
    int total = plan.targets().stream().mapToInt(Target::weight).sum();
    for (Target t : plan.targets()) {
      double expected = (double) t.weight() / total;
      double seen = first.getOrDefault(t.addresses().getFirst(), 0) / (double) queries;
      assertThat(seen).as("share of %s", t.id()).isBetween(expected * 0.9, expected * 1.1);
    }
  }

  private static List<String> dig(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", String.valueOf(server.port()),
        "+time=2", "+tries=1"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void digListsTheRoutersOverUdpAndTcp() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new java.io.File("/usr/bin/dig").canExecute(), "dig from bind9-dnsutils is not installed");
    assertThat(dig(NAMES.endpoint(), "A", "+short"))
        .containsExactlyInAnyOrder("127.0.1.7", "127.0.1.3", "127.0.1.1");
    assertThat(dig(NAMES.endpoint(), "A", "+short", "+tcp"))
        .containsExactlyInAnyOrder("127.0.1.7", "127.0.1.3", "127.0.1.1");
    assertThat(dig(NAMES.active(), "TXT", "+short")).singleElement().asString().contains("version=145");
    assertThat(String.join("\n", dig("nothing." + NAMES.endpoint(), "A"))).contains("NXDOMAIN");
  }
}
