package io.cairn.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moving processes off loopback (the chaos tests' network namespaces) without starting anything. */
class ProcessPlacementTest {
  @TempDir Path dir;

  @Test
  void placedHostsGoIntoTheTopologyAndPrefixesBeforeTheJavaBinary() {
    ClusterOptions o = ClusterOptions.defaults(dir).withShape(3, 1, 1).withPorts(8000, 8053, 9100, 9200);
    ProcessPlacement placement = new ProcessPlacement(
        Map.of("metadata-az1-1", "10.9.9.1", "storage-az2-1", "10.9.9.12"),
        Map.of("storage-az2-1", List.of("/usr/sbin/ip", "netns", "exec", "ns2")));

    ClusterTopology placed = placement.place(o.layout());
    assertThat(placed.byName("metadata-az1-1").address()).isEqualTo("10.9.9.1:9100");
    assertThat(placed.byName("storage-az2-1").address()).isEqualTo("10.9.9.12:9201");
    assertThat(placed.byName("storage-az1-1").address()).isEqualTo("127.0.0.1:9200");
    assertThat(placed.byName("storage-az2-1").dataDir()).isEqualTo(o.layout().byName("storage-az2-1").dataDir());

    LocalCluster cluster = new LocalCluster(o, System::currentTimeMillis, line -> {}, placement);
    List<String> cmd = cluster.command(placed.byName("storage-az2-1"));
    int ip = cmd.indexOf("/usr/sbin/ip");
    assertThat(ip).isGreaterThanOrEqualTo(0);
    assertThat(cmd.subList(ip, ip + 5)).containsExactly("/usr/sbin/ip", "netns", "exec", "ns2",
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    assertThat(cluster.command(placed.byName("storage-az1-1"))).doesNotContain("/usr/sbin/ip");
    assertThat(ProcessPlacement.LOOPBACK.place(o.layout())).isEqualTo(o.layout());
  }

  @Test
  void jvmOptionsGoBeforeTheClassPathOfTheirProcessOnly() {
    ClusterOptions o = ClusterOptions.defaults(dir).withShape(3, 1, 1).withPorts(8000, 8053, 9100, 9200);
    ProcessPlacement placement = new ProcessPlacement(Map.of(), Map.of(),
        Map.of("storage-az1-1", List.of("-Djdk.net.hosts.file=/tmp/hosts-1")));
    LocalCluster cluster = new LocalCluster(o, System::currentTimeMillis, line -> {}, placement);

    List<String> cmd = cluster.command(o.layout().byName("storage-az1-1"));
    assertThat(cmd).contains("-Djdk.net.hosts.file=/tmp/hosts-1");
    assertThat(cmd.indexOf("-Djdk.net.hosts.file=/tmp/hosts-1")).isLessThan(cmd.indexOf("-cp"));
    assertThat(cluster.command(o.layout().byName("storage-az2-1"))).noneMatch(a -> a.startsWith("-Djdk.net.hosts.file"));
    assertThatThrownBy(() -> new ProcessPlacement(Map.of(), Map.of(), Map.of("router-9", List.of("-Dx=y")))
        .place(o.layout())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("router-9");
  }

  @Test
  void aNameOutsideTheLayoutIsRefused() {
    ClusterOptions o = ClusterOptions.defaults(dir);
    assertThatThrownBy(() -> new ProcessPlacement(Map.of("storage-az9-9", "10.0.0.1"), Map.of()).place(o.layout()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storage-az9-9");
  }
}
