package io.cairn.endpoint.dns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real BIND 9 ({@code named} from Debian's bind9) started on a loopback port in a temp directory
 * with a freshly generated TSIG key, primary for {@code cairn.internal} and open to signed updates
 * and transfers. Not a system service: the test owns the process and stops it.
 */
final class BindServer implements AutoCloseable {
  static final String NAMED = "/usr/sbin/named";
  static final String ZONE = "cairn.internal";
  static final String KEY_NAME = "cairn-test-key";
  static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  final Path dir;
  final int port;
  final String secret;
  private final Process process;

  BindServer(Path dir) throws IOException, InterruptedException {
    this.dir = dir;
    this.port = freePort();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    this.secret = Base64.getEncoder().encodeToString(key);
    Files.writeString(dir.resolve(ZONE + ".zone"), """
        $TTL 10
        @ IN SOA ns.cairn.internal. hostmaster.cairn.internal. 1 60 30 600 10
        @ IN NS localhost.
        """, StandardCharsets.US_ASCII);
    String d = dir.toAbsolutePath().toString();
    Files.writeString(dir.resolve("named.conf"), """
        key "%s" { algorithm hmac-sha256; secret "%s"; };
        options {
          directory "%s";
          listen-on port %d { 127.0.0.1; };
          listen-on-v6 { none; };
          pid-file "%s/named.pid";
          session-keyfile "%s/session.key";
          managed-keys-directory "%s";
          recursion no;
          dnssec-validation no;
          notify no;
          allow-transfer { key %s; };
        };
        controls { };
        zone "%s" { type primary; file "%s/%s.zone"; allow-update { key %s; }; };
        """.formatted(KEY_NAME, secret, d, port, d, d, d, KEY_NAME, ZONE, d, ZONE, KEY_NAME),
        StandardCharsets.US_ASCII);
    this.process = new ProcessBuilder(NAMED, "-g", "-n", "1", "-c", d + "/named.conf")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("named.log").toFile())
        .start();
    awaitReady();
  }

  String tsigSpec() {
    return "hmac-sha256:" + KEY_NAME + ":" + secret;
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  private static int freePort() throws IOException {
    for (int i = 0; i < 20; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int p = s.getLocalPort();
        try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p))) {
          return p;
        } catch (IOException e) {
          // UDP side taken; try another.
        }
      }
    }
    throw new IOException("no free port for named");
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("named exited: " + Files.readString(dir.resolve("named.log")));
      }
      try {
        SimpleResolver r = new SimpleResolver(address());
        r.setTimeout(Duration.ofMillis(500));
        Message m = r.send(Message.newQuery(
            Record.newRecord(Name.fromString(ZONE + "."), Type.SOA, DClass.IN)));
        if (m.getRcode() == Rcode.NOERROR && m.getSection(1).size() == 1) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new IOException("named did not answer within " + START_TIMEOUT + ": "
        + Files.readString(dir.resolve("named.log")));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
