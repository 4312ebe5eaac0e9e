package io.cairn.endpoint.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.endpoint.rfc2136.Rfc2136Provider;
import io.cairn.endpoint.server.DnsServer;
import io.cairn.endpoint.tools.EndpointTool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provider contract through the RFC 2136 client against Cairn's own DNS server, which accepts
 * TSIG-signed updates into its in-memory zone: so the operator tools work against the endpoint
 * manager's DNS server in a local cluster exactly as against BIND.
 */
class CairnServerRfc2136ContractTest extends DnsProviderContract {
  static InMemoryZone zone;
  static DnsServer server;
  static String tsigSpec;
  static Rfc2136Provider provider;

  @BeforeAll
  static void start() throws Exception {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    tsigSpec = "hmac-sha256:cairn-ops:" + Base64.getEncoder().encodeToString(secret);
    zone = new InMemoryZone("cairn.internal");
    server = new DnsServer(InetAddress.getLoopbackAddress(), 0, zone, Rfc2136Provider.tsig(tsigSpec),
        new SplittableRandom(3));
    provider = new Rfc2136Provider("cairn.internal",
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()),
        Rfc2136Provider.tsig(tsigSpec));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Override
  DnsProvider provider() {
    return provider;
  }

  @Test
  void unsignedOrWronglySignedUpdatesChangeNothing() {
    Rfc2136Provider stranger = new Rfc2136Provider("cairn.internal",
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()),
        Rfc2136Provider.tsig("hmac-sha256:cairn-ops:" + Base64.getEncoder().encodeToString(new byte[32])));
    long serial = zone.snapshot().serial();
    assertThat(stranger.apply(ChangeBatch.builder("x").create(
        DnsRecord.a("evil." + base, 30, "127.0.0.66")).build()).applied()).isFalse();
    assertThat(zone.snapshot().serial()).isEqualTo(serial);
  }

  @Test
  void theCommandLineToolWorksAgainstTheServer() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String region = base.substring(0, base.indexOf('.'));
    String[] common = {"--server", "127.0.0.1:" + server.port(), "--region", region, "--operator", "bob"};
    Map<String, String> env = Map.of("CAIRN_DNS_TSIG", tsigSpec);
    int rc = EndpointTool.run(concat(common, "freeze", "checking", "things"), ps(out), ps(err), env);
    assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
    rc = EndpointTool.run(concat(common, "show"), ps(out), ps(err), env);
    assertThat(rc).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("frozen by=bob reason=checking things", "dynamodb." + region + ".cairn.internal");
    assertThat(EndpointTool.run(concat(common, "rollback", "7"), ps(out), ps(err), env))
        .isEqualTo(EndpointTool.EXIT_REFUSED);
    assertThat(EndpointTool.run(concat(common, "unfreeze"), ps(out), ps(err), env)).isZero();
    assertThat(EndpointTool.run(new String[] {"show"}, ps(out), ps(err), Map.of()))
        .isEqualTo(EndpointTool.EXIT_USAGE);
  }

  private static PrintStream ps(ByteArrayOutputStream b) {
    return new PrintStream(b, true, StandardCharsets.UTF_8);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void largeZonesTransferInManySignedMessages() {
    // 3,000 records is several times TCP's 64 KB message limit.
    for (int batch = 0; batch < 3; batch++) {
      ChangeBatch.Builder b = ChangeBatch.builder("bulk " + batch);
      for (int i = 0; i < 1_000; i++) {
        b.create(DnsRecord.a("lb-az1-" + i + ".p00000" + batch + "." + base, 30,
            "127.1." + batch + "." + (i % 250)));
      }
      assertThat(provider.apply(b.build()).applied()).isTrue();
    }
    ZoneSnapshot s = provider.snapshot();
    assertThat(s.records().stream().filter(r -> DnsNames.isInZone(r.name(), base)).count())
        .isEqualTo(3_000);
    assertThat(s).extracting(x -> x.get("lb-az1-999.p000002." + base, RecordType.A).orElseThrow().value())
        .isEqualTo("127.1.2.249");
  }
}
