package io.cairn.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.admin.AdminConfig;
import io.cairn.admin.AutoAdmin;
import io.cairn.admin.AzId;
import io.cairn.admin.ClusterView;
import io.cairn.admin.Decision;
import io.cairn.admin.NodeId;
import io.cairn.admin.PartitionView;
import io.cairn.admin.Replica;
import io.cairn.admin.StorageNode;
import io.cairn.core.id.PartitionId;
import io.cairn.metadata.PartitionReplicas;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How the driver shows assignments to auto-admin, and what auto-admin then decides about a
 * replacement (both pure): the repair timeout, the target in the dead node's AZ, a replacement in
 * progress that is neither started twice nor given leadership, and one whose filling node died.
 */
class AdminDriverTest {
  static final PartitionId P = new PartitionId(4);
  static final List<String> GROUP = List.of("storage-az1-1", "storage-az2-1", "storage-az3-1");
  static final AutoAdmin ADMIN = new AutoAdmin(AdminConfig.cluster().withDeadNodeRepairAfterMs(5_000));

  /** Two nodes per AZ; {@code dead} died at time 0. */
  static List<StorageNode> nodes(String... dead) {
    List<String> deadNodes = List.of(dead);
    return List.of("storage-az1-1", "storage-az1-2", "storage-az2-1", "storage-az2-2", "storage-az3-1", "storage-az3-2")
        .stream().map(n -> new StorageNode(new NodeId(n), new AzId(n.substring(8, 11)), !deadNodes.contains(n), 0, 100))
        .toList();
  }

  static PartitionReplicas replacing(String filling, String replaced) {
    return new PartitionReplicas(P, GROUP, "storage-az2-1", 12,
        Optional.of(new PartitionReplicas.Replacement(filling, replaced)));
  }

  static List<Decision> decide(List<StorageNode> nodes, PartitionReplicas assignment, long nowMs) {
    return ADMIN.decide(ClusterView.of(nodes, List.of(AdminDriver.partitionView(assignment)), List.of()), nowMs);
  }

  @Test
  void anAssignmentIsReadyReplicasAndAReplacementIsAFillingOne() {
    PartitionView plain = AdminDriver.partitionView(new PartitionReplicas(P, GROUP, "", 3));
    assertThat(plain.replicas()).allMatch(Replica::isReady).hasSize(3);
    assertThat(plain.leader()).isEmpty();
    PartitionView repairing = AdminDriver.partitionView(replacing("storage-az1-2", "storage-az1-1"));
    assertThat(repairing.replicas()).hasSize(4)
        .contains(Replica.filling(new NodeId("storage-az1-2"), new NodeId("storage-az1-1")));
    assertThat(repairing.isBeingReplaced(new NodeId("storage-az1-1"))).isTrue();
    assertThat(repairing.leader()).contains(new NodeId("storage-az2-1"));
  }

  @Test
  void aDeadNodesReplicaIsReplacedInItsOwnAzOnceTheRepairTimeoutHasPassed() {
    PartitionReplicas assignment = new PartitionReplicas(P, GROUP, "storage-az2-1", 3);
    assertThat(decide(nodes("storage-az1-1"), assignment, 4_999)).noneMatch(d -> d instanceof Decision.AddReplica);
    assertThat(decide(nodes("storage-az1-1"), assignment, 5_000)).containsExactly(new Decision.AddReplica(P,
        new NodeId("storage-az1-2"), new NodeId("storage-az1-1"), "storage-az1-1 dead for 5000 ms"));
  }

  @Test
  void aReplacementInProgressIsNotStartedAgainNorHandedLeadership() {
    List<Decision> decisions = decide(nodes("storage-az1-1"), replacing("storage-az1-2", "storage-az1-1"), 60_000);
    assertThat(decisions).isEmpty();
  }

  @Test
  void aReplacementWhoseFillingNodeDiedIsAbandoned() {
    List<Decision> decisions =
        decide(nodes("storage-az1-1", "storage-az1-2"), replacing("storage-az1-2", "storage-az1-1"), 60_000);
    assertThat(decisions).singleElement().isInstanceOfSatisfying(Decision.AbandonReplica.class,
        a -> assertThat(a.node()).isEqualTo(new NodeId("storage-az1-2")));
  }
}
