package io.cairn.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's bookkeeping without starting a cluster: pid files, telling a live node from a dead
 * or reused pid, and a status that still answers when nothing runs.
 */
class LocalClusterTest {
  @TempDir Path dir;

  @Test
  void commandsOnADirectoryWithoutAClusterSayHowToStartOne() {
    LocalCluster c = new LocalCluster(ClusterOptions.defaults(dir));
    assertThatThrownBy(c::status).isInstanceOf(LocalCluster.ClusterException.class)
        .hasMessage("no cluster in " + dir + " (no cluster.json); start one with: cairn cluster start --dir " + dir);
    assertThatThrownBy(() -> c.kill("router-1")).isInstanceOf(LocalCluster.ClusterException.class);
  }

  @Test
  void statusTellsStoppedFromDeadAndNeverTrustsAReusedPid() throws Exception {
    // Ports nobody listens on: the metadata service and DNS must not answer.
    ClusterOptions o = ClusterOptions.defaults(dir).withShape(1, 1, 1).withPorts(1, 2, 3, 5);
    o.layout().write(o.topologyFile());
    LocalCluster c = new LocalCluster(o);
    Process exited = new ProcessBuilder("true").start();
    exited.waitFor();
    Files.writeString(dir.resolve("router-1.pid"), exited.pid() + "\n");
    // A live process, but not a Cairn node named storage-az1-1: a pid the system has reused.
    Files.writeString(dir.resolve("storage-az1-1.pid"), ProcessHandle.current().pid() + "\n");

    ClusterStatus s = c.status();

    assertThat(s.processes()).extracting(p -> p.spec().name() + " " + p.liveness()).containsExactly(
        "metadata-az1-1 STOPPED", "storage-az1-1 DEAD", "router-1 DEAD", "endpoint-1 STOPPED");
    assertThat(s.endpoint()).isInstanceOf(ClusterStatus.EndpointView.NoAnswer.class);
    assertThat(s.metadata()).isInstanceOf(ClusterStatus.MetadataView.Unavailable.class);
    assertThat(s.renderText()).contains("metadata service: no answer (").doesNotContain("\tat ");
    assertThatThrownBy(() -> c.kill("router-1")).hasMessage("router-1 is not running");
    assertThatThrownBy(() -> c.kill("router-9")).hasMessage("no process named router-9 in the topology");
  }

  @Test
  void aLiveNodeIsFoundByItsPidFileEvenBehindACommandLineLongerThanTheJdkReads() throws Exception {
    ClusterOptions o = ClusterOptions.defaults(dir).withShape(1, 1, 1).withPorts(1, 2, 3, 5);
    o.layout().write(o.topologyFile());
    LocalCluster c = new LocalCluster(o);
    // Like a node: the marker first, then a class path far past the 4 KB the JDK reads.
    Process node = new ProcessBuilder("sh", "-c", "sleep 60", LocalCluster.NODE_MARKER + "router-1",
        "x".repeat(10_000)).start();
    try {
      Files.writeString(dir.resolve("router-1.pid"), node.pid() + "\n");
      assertThat(c.liveHandle(o.layout().byName("router-1"))).isPresent();
      // The same pid file under another name is not that node.
      Files.writeString(dir.resolve("router-10.pid"), node.pid() + "\n");
      assertThat(LocalCluster.runsNode(node.toHandle(), "router-10")).isFalse();
      assertThat(LocalCluster.runsNode(node.toHandle(), "router-1")).isTrue();

      assertThat(c.kill("router-1")).isEqualTo(node.pid());
      assertThat(node.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(c.status().processes()).filteredOn(p -> p.spec().name().equals("router-1"))
          .extracting(ClusterStatus.ProcessState::liveness).containsExactly(ClusterStatus.Liveness.DEAD);
    } finally {
      node.destroyForcibly();
    }
  }

  @Test
  void startRefusesPortsSomeoneElseListensOnBeforeStartingAnything() throws Exception {
    try (java.net.ServerSocket squatter = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = squatter.getLocalPort();
      // The other ports are unlikely to be taken; only the squatted one may be named.
      ClusterOptions o = ClusterOptions.defaults(dir).withShape(1, 1, 1)
          .withPorts(port + 30, port + 20, port, port + 10);
      assertThatThrownBy(() -> new LocalCluster(o).start()).isInstanceOf(LocalCluster.ClusterException.class)
          .hasMessageStartingWith("already in use by another process: 127.0.0.1:" + port + " (metadata-az1-1)")
          .hasMessageEndingWith("; choose other ports (--router-port, --dns-port, --metadata-port-base, --storage-port-base)");
      assertThat(dir.resolve("cluster.json")).doesNotExist();
      assertThat(dir.resolve("metadata-az1-1.pid")).doesNotExist();

      // A process started in another network namespace is not checked here, and an address this
      // namespace does not have is not "in use".
      ProcessPlacement elsewhere = new ProcessPlacement(Map.of("storage-az1-1", "192.0.2.1"),
          Map.of("metadata-az1-1", List.of("ip", "netns", "exec", "ns1")));
      LocalCluster placed = new LocalCluster(o, System::currentTimeMillis, line -> {}, elsewhere);
      ClusterTopology t = elsewhere.place(o.layout());
      assertThat(placed.portFree(t.byName("metadata-az1-1"))).isTrue();
      assertThat(placed.portFree(t.byName("storage-az1-1"))).isTrue();
      assertThat(new LocalCluster(o).portFree(t.byName("metadata-az1-1"))).isFalse();
    }
  }

  @Test
  void aNodesCommandLineIsTheServerMainWithItsTopologyAndName() {
    ClusterOptions o = ClusterOptions.defaults(dir).withHeapMbMax(256);
    List<String> cmd = new LocalCluster(o).command(o.layout().byName("router-1"));
    assertThat(cmd).contains("-Xmx256m", "-Dlogback.configurationFile=logback.xml", "-cp");
    int java = cmd.indexOf(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    assertThat(cmd.get(java + 1)).isEqualTo("-Dcairn.cluster.node=router-1");
    assertThat(cmd.subList(cmd.size() - 6, cmd.size())).containsExactly(
        "io.cairn.server.CairnMain", "node", "--topology", dir.resolve("cluster.json").toString(), "--name", "router-1");
  }

  @Test
  void aStartFailureQuotesTheEndOfTheLog() throws Exception {
    Path log = dir.resolve("x.log");
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      sb.append("line ").append(i).append('\n');
    }
    Files.writeString(log, sb);
    String tail = LocalCluster.logTail(log);
    assertThat(tail.lines()).hasSize(LocalCluster.LOG_TAIL_LINES).endsWith("line 40");
    assertThat(LocalCluster.logTail(dir.resolve("missing.log"))).startsWith("(cannot read ");
  }
}
