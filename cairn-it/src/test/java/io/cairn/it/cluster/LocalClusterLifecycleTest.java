package io.cairn.it.cluster;

import io.cairn.it.support.ClusterPorts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.it.support.ChildProcesses;
import io.cairn.server.cluster.ClusterOptions;
import io.cairn.server.cluster.ClusterStatus;
import io.cairn.server.cluster.ClusterStatus.Liveness;
import io.cairn.server.cluster.LocalCluster;
import io.cairn.server.cluster.ProcessSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
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
 * The local cluster as an operator uses it: {@code cairn cluster start} in a JVM that exits (the
 * processes must outlive it), status, a router killed with SIGKILL (status says DEAD, DNS drops it),
 * the router restarted (back in DNS), stop. Three AZs, two routers, every port chosen free.
 */
class LocalClusterLifecycleTest {
  private static final String ENDPOINT = "dynamodb.local.cairn.internal.";
  private static final Duration DNS_CHANGE_MAX = Duration.ofSeconds(20);
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(200);

  @TempDir Path dir;

  @Test
  void startStatusKillRestartStop() throws Exception {
    ClusterPorts ports = ClusterPorts.find(2);
    ClusterOptions options = ports.applyTo(ClusterOptions.defaults(dir))
        .withHeapMbMax(384)
        .withTimeouts(150_000, 10_000);
    LocalCluster cluster = new LocalCluster(options, System::currentTimeMillis,
        line -> System.out.println("[cluster] " + line));
    // If this JVM dies mid-test, the cluster (in its own sessions) must not outlive it.
    Thread stopOnExit = new Thread(() -> stopQuietly(cluster), "stop-local-cluster");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    try {
      long t0 = System.nanoTime();
      int exit = cli("cluster", "start", "--dir", dir.toString(), "--router-port", "" + ports.router(),
          "--dns-port", "" + ports.dns(), "--metadata-port-base", "" + ports.metadataBase(),
          "--storage-port-base", "" + ports.storageBase(), "--heap-mb", "384", "--timeout-s", "150");
      assertThat(exit).as(Files.readString(dir.resolve("cli.out")) + Files.readString(dir.resolve("cli.err"))).isZero();
      System.out.printf("cluster start (CLI) took %.1f s%n", (System.nanoTime() - t0) / 1e9);

      // The launcher JVM has exited; every process lives on.
      ClusterStatus s = cluster.status();
      assertThat(states(s)).containsExactlyInAnyOrderEntriesOf(allRunning(s));
      assertThat(s.processes()).extracting(p -> p.spec().name()).containsExactly(
          "metadata-az1-1", "metadata-az2-1", "metadata-az3-1", "storage-az1-1", "storage-az2-1",
          "storage-az3-1", "router-1", "router-2", "endpoint-1");
      assertThat(s.endpoint()).isEqualTo(new ClusterStatus.EndpointView.Resolved(
          "dynamodb.local.cairn.internal", "127.0.0.1:" + ports.dns(), List.of("127.0.1.1", "127.0.1.2")));
      assertThat(s.metadata()).as(s.renderText()).isInstanceOf(ClusterStatus.MetadataView.Answered.class);
      assertThat(resolve(ports.dns())).containsExactlyInAnyOrder("127.0.1.1", "127.0.1.2");

      // The JSON scripts read, from another JVM.
      assertThat(cli("cluster", "status", "--json", "--dir", dir.toString())).isZero();
      JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("cli.out")));
      assertThat(json.path("running").asInt()).isEqualTo(9);
      assertThat(json.path("endpoint").path("addresses").toString()).isEqualTo("[\"127.0.1.1\",\"127.0.1.2\"]");

      // SIGKILL a router: status says DEAD, DNS drops it.
      long killedAt = System.nanoTime();
      long killedPid = cluster.kill("router-2");
      assertThat(ProcessHandle.of(killedPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(states(cluster.status())).containsEntry("router-2", Liveness.DEAD).containsEntry("router-1", Liveness.RUNNING);
      List<String> afterKill = awaitDns(ports.dns(), a -> a.equals(List.of("127.0.1.1")));
      System.out.printf("router-2 left DNS %d ms after SIGKILL%n", (System.nanoTime() - killedAt) / 1_000_000);
      assertThat(afterKill).containsExactly("127.0.1.1");
      digAgrees(ports.dns(), List.of("127.0.1.1"));

      // Restart it: running again, back in DNS.
      long restartedPid = cluster.restart("router-2");
      assertThat(restartedPid).isNotEqualTo(killedPid);
      assertThat(states(cluster.status())).containsEntry("router-2", Liveness.RUNNING);
      long restartedAt = System.nanoTime();
      assertThat(awaitDns(ports.dns(), a -> a.equals(List.of("127.0.1.1", "127.0.1.2"))))
          .containsExactly("127.0.1.1", "127.0.1.2");
      System.out.printf("router-2 back in DNS %d ms after its restart returned%n",
          (System.nanoTime() - restartedAt) / 1_000_000);
    } finally {
      // Straight from the pid files, so a launcher that lost track of a process cannot hide it.
      List<ProcessHandle> handles = new ArrayList<>();
      for (ProcessSpec p : options.layout().processes()) {
        Path pidFile = cluster.pidFile(p);
        if (Files.exists(pidFile)) {
          ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(handles::add);
        }
      }
      cluster.stop();
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
      List<ProcessHandle> survivors = handles.stream().filter(ProcessHandle::isAlive).toList();
      survivors.forEach(ProcessHandle::destroyForcibly);
      assertThat(survivors).as("processes still running after stop").isEmpty();
    }
    assertThat(states(cluster.status()).values()).containsOnly(Liveness.STOPPED);
  }

  private static Map<String, Liveness> states(ClusterStatus s) {
    return s.processes().stream().collect(Collectors.toMap(p -> p.spec().name(), ClusterStatus.ProcessState::liveness));
  }

  private static Map<String, Liveness> allRunning(ClusterStatus s) {
    return s.processes().stream().collect(Collectors.toMap(p -> p.spec().name(), p -> Liveness.RUNNING));
  }

  /**
   * Runs {@code cairn ARGS} in a child JVM with this JVM's class path, as bin/cairn would; its
   * standard output goes to DIR/cli.out, its standard error to DIR/cli.err.
   */
  private int cli(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(ChildProcesses.javaBinary(), "-Xss1m",
        "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 23) {
      cmd.add("--sun-misc-unsafe-memory-access=allow");
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.cairn.server.CairnMain"));
    cmd.addAll(List.of(args));
    Path out = dir.resolve("cli.out");
    Path err = dir.resolve("cli.err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    String what = "cairn " + String.join(" ", args);
    if (!p.waitFor(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(what + " did not finish; output:\n" + Files.readString(out) + Files.readString(err));
    }
    System.out.println(what + " -> exit " + p.exitValue() + "\n" + Files.readString(out, StandardCharsets.UTF_8)
        + Files.readString(err, StandardCharsets.UTF_8));
    return p.exitValue();
  }

  /** The endpoint's A records, sorted, asked over UDP with dnsjava as any resolver would. */
  private static List<String> resolve(int dnsPort) throws IOException {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), dnsPort));
    r.setTimeout(Duration.ofSeconds(2));
    Message answer = r.send(Message.newQuery(Record.newRecord(Name.fromString(ENDPOINT), Type.A, DClass.IN)));
    List<String> out = new ArrayList<>();
    for (Record rec : answer.getSection(Section.ANSWER)) {
      if (rec instanceof ARecord a) {
        out.add(a.getAddress().getHostAddress());
      }
    }
    out.sort(null);
    return out;
  }

  private static List<String> awaitDns(int dnsPort, Predicate<List<String>> done) throws Exception {
    long deadline = System.nanoTime() + DNS_CHANGE_MAX.toNanos();
    List<String> last = List.of();
    while (System.nanoTime() < deadline) {
      last = resolve(dnsPort);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("DNS still answers " + last + " after " + DNS_CHANGE_MAX.toSeconds() + " s");
  }

  /** The same answer through {@code dig}, the operator's tool, when it is installed. */
  private void digAgrees(int dnsPort, List<String> expected) throws Exception {
    Path dig = Path.of("/usr/bin/dig");
    if (!Files.isExecutable(dig)) {
      System.out.println("dig not installed; checked with dnsjava only");
      return;
    }
    Process p = new ProcessBuilder(dig.toString(), "@127.0.0.1", "-p", "" + dnsPort, ENDPOINT, "A", "+short")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(out.lines().sorted().toList()).as(out).isEqualTo(expected);
  }

  private static void stopQuietly(LocalCluster cluster) {
    try {
      cluster.stop();
    } catch (RuntimeException e) {
      System.err.println("could not stop the cluster: " + e);
    }
  }
}
