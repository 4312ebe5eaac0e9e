package io.cairn.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.server.cluster.ClusterStatus.EndpointView;
import io.cairn.server.cluster.ClusterStatus.Liveness;
import io.cairn.server.cluster.ClusterStatus.MetadataView;
import io.cairn.server.cluster.ClusterStatus.NodeView;
import io.cairn.server.cluster.ClusterStatus.PartitionView;
import io.cairn.server.cluster.ClusterStatus.ProcessState;
import io.cairn.server.cluster.ClusterStatus.TableView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What an operator and a script read from {@code cairn cluster status}. */
class ClusterStatusTest {
  private static final Path DIR = Path.of("/tmp/c1");
  private static final long NOW_MS = 1_700_000_010_000L;

  /** A small cluster after {@code cluster kill router-2}, with metadata as given. */
  private static ClusterStatus status(EndpointView endpoint, MetadataView metadata) {
    ClusterTopology t = ClusterOptions.defaults(DIR).withShape(1, 1, 2).layout();
    List<ProcessState> states = new ArrayList<>();
    long pid = 4100;
    for (ProcessSpec p : t.processes()) {
      Liveness l = p.name().equals("router-2") ? Liveness.DEAD : Liveness.RUNNING;
      states.add(new ProcessState(p, OptionalLong.of(pid++), l));
    }
    return new ClusterStatus(DIR, NOW_MS, states, endpoint, metadata);
  }

  private static final EndpointView RESOLVED = new EndpointView.Resolved(
      "dynamodb.local.cairn.internal", "127.0.0.1:8053", List.of("127.0.1.1"));

  private static final MetadataView ANSWERED = new MetadataView.Answered(
      List.of(new NodeView("storage-az1-1", "az1", "127.0.0.1:9200", "UP", NOW_MS - 1_500)),
      List.of(new TableView("users", List.of(
          new PartitionView(7, List.of("storage-az1-1"), "storage-az1-1"),
          new PartitionView(8, List.of(), "")))), 0);

  @Test
  void theTableShowsEveryProcessTheEndpointAndEveryPartitionsLeader() {
    assertThat(status(RESOLVED, ANSWERED).renderText()).isEqualTo("""
        cluster /tmp/c1: 4 of 5 processes running

        NAME            ROLE      AZ   ADDRESS         PID   STATE    LOG
        metadata-az1-1  metadata  az1  127.0.0.1:9100  4100  running  /tmp/c1/metadata-az1-1.log
        storage-az1-1   storage   az1  127.0.0.1:9200  4101  running  /tmp/c1/storage-az1-1.log
        router-1        router    az1  127.0.1.1:8000  4102  running  /tmp/c1/router-1.log
        router-2        router    az1  127.0.1.2:8000  4103  DEAD     /tmp/c1/router-2.log
        endpoint-1      endpoint  az1  127.0.0.1:8053  4104  running  /tmp/c1/endpoint-1.log

        endpoint dynamodb.local.cairn.internal @127.0.0.1:8053 -> 127.0.1.1

        NODE           AZ   ADDRESS         HEALTH  HEARTBEAT
        storage-az1-1  az1  127.0.0.1:9200  UP      1.5 s ago

        TABLE  PARTITION  LEADER         REPLICAS
        users  7          storage-az1-1  storage-az1-1
        users  8          ?              (not placed)
        """);
  }

  @Test
  void aReplicaBeingFilledIsShownWithTheOneItReplaces() throws Exception {
    MetadataView repairing = new MetadataView.Answered(
        List.of(new NodeView("storage-az1-1", "az1", "127.0.0.1:9200", "DOWN", NOW_MS - 65_000)),
        List.of(new TableView("users", List.of(new PartitionView(7,
            List.of("storage-az1-1", "storage-az2-1", "storage-az3-1"), "storage-az2-1", "storage-az1-2",
            "storage-az1-1")))), 0);
    ClusterStatus status = status(RESOLVED, repairing);
    assertThat(status.renderText()).endsWith("""
        TABLE  PARTITION  LEADER         REPLICAS
        users  7          storage-az2-1  storage-az1-1, storage-az2-1, storage-az3-1 (+ storage-az1-2 FILLING, replacing storage-az1-1)
        """);
    JsonNode partition = new ObjectMapper().readTree(status.toJson()).path("metadata").path("tables").get(0)
        .path("partitions").get(0);
    assertThat(partition.path("filling").toString())
        .isEqualTo("{\"node\":\"storage-az1-2\",\"replacing\":\"storage-az1-1\"}");
    assertThat(new ObjectMapper().readTree(status(RESOLVED, ANSWERED).toJson()).path("metadata").path("tables").get(0)
        .path("partitions").get(0).has("filling")).isFalse();
  }

  @Test
  void whenNothingElseAnswersTheProcessesAreStillShownAndOneLineSaysWhy() {
    String text = status(new EndpointView.NoAnswer("dynamodb.local.cairn.internal", "127.0.0.1:8053",
            "Connection refused"),
        new MetadataView.Unavailable("metadata service: no answer within 3000 ms")).renderText();
    assertThat(text).contains("router-2        router    az1  127.0.1.2:8000  4103  DEAD")
        .endsWith("""
            endpoint dynamodb.local.cairn.internal @127.0.0.1:8053: no answer (Connection refused)
            metadata service: no answer (metadata service: no answer within 3000 ms); partitions and leaders unknown
            """);
  }

  @Test
  void aStoppedProcessHasNoPidAndNoTablesIsSaidSo() {
    ClusterTopology t = ClusterOptions.defaults(DIR).withShape(1, 1, 1).layout();
    List<ProcessState> states = t.processes().stream()
        .map(p -> new ProcessState(p, OptionalLong.empty(), Liveness.STOPPED)).toList();
    String text = new ClusterStatus(DIR, NOW_MS, states, RESOLVED,
        new MetadataView.Answered(List.of(), List.of(), 0)).renderText();
    assertThat(text).startsWith("cluster /tmp/c1: 0 of 4 processes running")
        .contains("router-1        router    az1  127.0.1.1:8000  -    stopped")
        .contains("storage nodes: none registered with the metadata service\n")
        .endsWith("tables: none\n");
  }

  @Test
  void theJsonCarriesTheSameFactsForScripts() throws Exception {
    JsonNode j = new ObjectMapper().readTree(status(RESOLVED, ANSWERED).toJson());
    assertThat(j.path("dir").asText()).isEqualTo("/tmp/c1");
    assertThat(j.path("running").asInt()).isEqualTo(4);
    JsonNode router2 = j.path("processes").get(3);
    assertThat(router2.path("name").asText()).isEqualTo("router-2");
    assertThat(router2.path("role").asText()).isEqualTo("ROUTER");
    assertThat(router2.path("address").asText()).isEqualTo("127.0.1.2:8000");
    assertThat(router2.path("pid").asLong()).isEqualTo(4103);
    assertThat(router2.path("state").asText()).isEqualTo("DEAD");
    assertThat(router2.path("alive").asBoolean()).isFalse();
    assertThat(router2.path("logFile").asText()).isEqualTo("/tmp/c1/router-2.log");
    assertThat(j.path("endpoint").path("answered").asBoolean()).isTrue();
    assertThat(j.path("endpoint").path("addresses").toString()).isEqualTo("[\"127.0.1.1\"]");
    JsonNode users = j.path("metadata").path("tables").get(0);
    assertThat(users.path("name").asText()).isEqualTo("users");
    assertThat(users.path("partitions").get(0).toString())
        .isEqualTo("{\"partitionId\":7,\"leader\":\"storage-az1-1\",\"replicas\":[\"storage-az1-1\"]}");
    assertThat(users.path("partitions").get(1).path("leader").isNull()).isTrue();

    JsonNode down = new ObjectMapper().readTree(status(RESOLVED,
        new MetadataView.Unavailable("no answer")).toJson());
    assertThat(down.path("metadata").toString()).isEqualTo("{\"answered\":false,\"reason\":\"no answer\"}");
  }
}
