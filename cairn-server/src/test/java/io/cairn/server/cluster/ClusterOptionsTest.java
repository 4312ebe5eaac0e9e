package io.cairn.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layout rules: names by role and AZ, one address per router, ports that never meet. */
class ClusterOptionsTest {
  private static final Path DIR = Path.of("/tmp/c1");

  private static List<String> lines(ClusterTopology t) {
    return t.processes().stream()
        .map(p -> p.name() + " " + p.role() + " " + p.az() + " " + p.address()).toList();
  }

  @Test
  void theDefaultClusterIsThreeAzsOneNodeEachTwoRoutersAndTheEndpointManager() {
    ClusterTopology t = ClusterOptions.defaults(DIR).layout();
    assertThat(lines(t)).containsExactly(
        "metadata-az1-1 METADATA az1 127.0.0.1:9100",
        "metadata-az2-1 METADATA az2 127.0.0.1:9101",
        "metadata-az3-1 METADATA az3 127.0.0.1:9102",
        "storage-az1-1 STORAGE az1 127.0.0.1:9200",
        "storage-az2-1 STORAGE az2 127.0.0.1:9201",
        "storage-az3-1 STORAGE az3 127.0.0.1:9202",
        "router-1 ROUTER az1 127.0.1.1:8000",
        "router-2 ROUTER az2 127.0.1.2:8000",
        "endpoint-1 ENDPOINT az1 127.0.0.1:8053");
  }

  @Test
  void everyProcessHasItsOwnDataDirectoryAndLogFileUnderTheClusterDirectory() {
    ProcessSpec router = ClusterOptions.defaults(DIR).layout().byName("router-2");
    assertThat(router.dataDir()).isEqualTo(Path.of("/tmp/c1/router-2"));
    assertThat(router.logFile()).isEqualTo(Path.of("/tmp/c1/router-2.log"));
    assertThat(ClusterOptions.defaults(Path.of("relative")).dir()).isAbsolute();
  }

  @Test
  void metadataMembersAreOnePerAzAndAtMostThree() {
    ClusterOptions five = ClusterOptions.defaults(DIR).withShape(5, 2, 7);
    ClusterTopology t = five.layout();
    assertThat(t.byRole(Role.METADATA)).extracting(ProcessSpec::name)
        .containsExactly("metadata-az1-1", "metadata-az2-1", "metadata-az3-1");
    assertThat(t.byRole(Role.STORAGE)).extracting(ProcessSpec::name).containsExactly(
        "storage-az1-1", "storage-az1-2", "storage-az2-1", "storage-az2-2", "storage-az3-1", "storage-az3-2",
        "storage-az4-1", "storage-az4-2", "storage-az5-1", "storage-az5-2");
    assertThat(t.byRole(Role.STORAGE).getLast().port()).isEqualTo(9209);
    // Routers take the AZs in turn, each on its own loopback address.
    assertThat(t.byRole(Role.ROUTER)).extracting(p -> p.name() + "@" + p.az() + "/" + p.host()).containsExactly(
        "router-1@az1/127.0.1.1", "router-2@az2/127.0.1.2", "router-3@az3/127.0.1.3", "router-4@az4/127.0.1.4",
        "router-5@az5/127.0.1.5", "router-6@az1/127.0.1.6", "router-7@az2/127.0.1.7");
    assertThat(ClusterOptions.defaults(DIR).withShape(1, 1, 1).layout().byRole(Role.METADATA)).hasSize(1);
  }

  @Test
  void portsChosenByATestAreUsedAsGiven() {
    ClusterTopology t = ClusterOptions.defaults(DIR).withPorts(31000, 31053, 31100, 31200).layout();
    assertThat(lines(t)).contains("router-1 ROUTER az1 127.0.1.1:31000", "endpoint-1 ENDPOINT az1 127.0.0.1:31053",
        "metadata-az3-1 METADATA az3 127.0.0.1:31102", "storage-az1-1 STORAGE az1 127.0.0.1:31200");
  }

  @Test
  void shapesAndPortsThatCannotWorkAreRefusedWithTheOptionNamed() {
    ClusterOptions d = ClusterOptions.defaults(DIR);
    assertThatThrownBy(() -> d.withShape(0, 1, 1)).hasMessage("--azs must be 1..9, got 0");
    assertThatThrownBy(() -> d.withShape(10, 1, 1)).hasMessage("--azs must be 1..9, got 10");
    assertThatThrownBy(() -> d.withShape(3, 9, 1)).hasMessage("--nodes-per-az must be 1..8, got 9");
    assertThatThrownBy(() -> d.withShape(3, 1, 65)).hasMessage("--routers must be 1..64, got 65");
    assertThatThrownBy(() -> d.withPorts(8000, 8053, 9200, 9202))
        .hasMessage("metadata ports 9200..9202 overlap storage ports 9202..9204");
    assertThatThrownBy(() -> d.withPorts(8000, 9101, 9100, 9200))
        .hasMessage("DNS port 9101 is among the metadata ports 9100..9102");
    assertThatThrownBy(() -> d.withPorts(8000, 9202, 9100, 9200))
        .hasMessage("DNS port 9202 is among the storage ports 9200..9202");
    assertThatThrownBy(() -> d.withPorts(8000, 8053, 9100, 65_534))
        .hasMessage("--storage-port-base 65534 leaves no room for 3 port(s) below 65536");
    assertThatThrownBy(() -> d.withHeapMbMax(10)).hasMessage("--heap-mb must be at least 64, got 10");
    // Routers have their own addresses, so their port may equal any other.
    assertThat(d.withPorts(9100, 8053, 9100, 9200).layout().byName("router-1").port()).isEqualTo(9100);
  }

  @Test
  void theSettingsAreInTheTopologyFileAndDefaultToProductions(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    assertThat(ClusterOptions.defaults(DIR).layout().settings()).isEqualTo(ClusterSettings.DEFAULTS);
    assertThat(ClusterSettings.DEFAULTS.deadNodeRepairAfterMs()).isEqualTo(60_000);
    assertThat(ClusterSettings.DEFAULTS.replication()).isEqualTo(io.cairn.replication.ReplicationOptions.defaults());
    ClusterTopology shortened = ClusterOptions.defaults(tmp).withDeadNodeRepairAfterMs(5_000)
        .withReplicationLog(20, 16 * 1024, 4).layout();
    Path file = tmp.resolve(ClusterTopology.FILE_NAME);
    shortened.write(file);
    assertThat(ClusterTopology.read(file)).isEqualTo(shortened);
    assertThat(ClusterTopology.read(file).settings()).isEqualTo(new ClusterSettings(5_000, 20, 16 * 1024, 4));
    // A file written before the settings existed gets the defaults.
    java.nio.file.Files.writeString(file, "{\"processes\": []}");
    assertThat(ClusterTopology.read(file).settings()).isEqualTo(ClusterSettings.DEFAULTS);
    assertThatThrownBy(() -> ClusterOptions.defaults(DIR).withDeadNodeRepairAfterMs(500))
        .hasMessage("--repair-after-s must be at least 1, got 0.5");
  }
}
