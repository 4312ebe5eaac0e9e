package io.cairn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.id.PartitionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hand-written cluster views and the decisions the auto-admin must make for them. */
class AutoAdminTest {
  private static final long TIMEOUT_MS = 60_000;
  private final AutoAdmin admin = new AutoAdmin(new AdminConfig(3, TIMEOUT_MS, 2, 4));

  private static NodeId n(String name) {
    return new NodeId(name);
  }

  private static PartitionId p(long id) {
    return new PartitionId(id);
  }

  /** storage-azA-I for A in 1..azs, I in 1..perAz, all alive since 0, capacity 10. */
  private static List<StorageNode> grid(int azs, int perAz) {
    List<StorageNode> nodes = new ArrayList<>();
    for (int a = 1; a <= azs; a++) {
      for (int i = 1; i <= perAz; i++) {
        nodes.add(new StorageNode(n("storage-az" + a + "-" + i), new AzId("az" + a), true, 0, 10));
      }
    }
    return nodes;
  }

  private static List<StorageNode> kill(List<StorageNode> nodes, String name, long sinceMs) {
    return nodes.stream().map(s -> s.id().name().equals(name) ? s.died(sinceMs) : s).toList();
  }

  private static PartitionView group(long id, String leader, String... nodes) {
    List<Replica> replicas = new ArrayList<>();
    for (String node : nodes) {
      replicas.add(Replica.ready(n(node)));
    }
    return new PartitionView(p(id), replicas, Optional.ofNullable(leader).map(NodeId::new));
  }

  @Test
  void newPartitionIsPlacedInThreeDistinctAzsOnLeastLoadedNodes() {
    var view = ClusterView.of(grid(3, 2), List.of(
        group(1, "storage-az1-1", "storage-az1-1", "storage-az2-1", "storage-az3-1"),
        PartitionView.unplaced(p(145))), List.of());
    List<Decision> ds = admin.decide(view, 0);
    assertThat(ds).containsExactly(new Decision.PlacePartition(p(145),
        List.of(n("storage-az1-2"), n("storage-az2-2"), n("storage-az3-2")), n("storage-az1-2")));
    assertThat(ds.get(0).describe()).isEqualTo("place p000145 replicas=[storage-az1-2, "
        + "storage-az2-2, storage-az3-2] leader=storage-az1-2");
  }

  @Test
  void partitionWaitsWhenFewerThanThreeAzsHaveRoom() {
    var view = ClusterView.of(kill(kill(grid(3, 1), "storage-az2-1", 0), "storage-az3-1", 0),
        List.of(PartitionView.unplaced(p(1))), List.of());
    assertThat(admin.decide(view, 1_000)).isEmpty();
  }

  @Test
  void singleProcessModePlacesOneReplicaThroughTheSamePath() {
    var single = new AutoAdmin(AdminConfig.singleProcess());
    var view = ClusterView.of(grid(1, 1), List.of(PartitionView.unplaced(p(7))), List.of());
    assertThat(single.decide(view, 0)).containsExactly(new Decision.PlacePartition(p(7),
        List.of(n("storage-az1-1")), n("storage-az1-1")));
  }

  @Test
  void noRepairBeforeTheTimeoutThenAReplacementInTheSameAz() {
    var nodes = kill(grid(3, 2), "storage-az1-1", 10_000);
    var view = ClusterView.of(nodes, List.of(
        group(1, "storage-az2-1", "storage-az1-1", "storage-az2-1", "storage-az3-1")), List.of());
    assertThat(admin.decide(view, 10_000 + TIMEOUT_MS - 1)).isEmpty();
    List<Decision> ds = admin.decide(view, 10_000 + TIMEOUT_MS);
    assertThat(ds).singleElement().isInstanceOfSatisfying(Decision.AddReplica.class, add -> {
      assertThat(add.target()).isEqualTo(n("storage-az1-2"));
      assertThat(add.replacing()).isEqualTo(n("storage-az1-1"));
      assertThat(add.describe()).startsWith("add-replica p000001 on storage-az1-2 replacing "
          + "storage-az1-1 (storage-az1-1 dead for 60000 ms)");
    });
  }

  @Test
  void replacementGoesToAnUnusedAzWhenItsOwnAzIsFull() {
    var nodes = kill(grid(4, 1), "storage-az1-1", 0);
    var view = ClusterView.of(nodes, List.of(
        group(1, "storage-az2-1", "storage-az1-1", "storage-az2-1", "storage-az3-1")), List.of());
    assertThat(admin.decide(view, TIMEOUT_MS)).singleElement()
        .isInstanceOfSatisfying(Decision.AddReplica.class,
            add -> assertThat(add.target()).isEqualTo(n("storage-az4-1")));
  }

  @Test
  void noReplacementWhenEveryCandidateAzIsInUse() {
    var nodes = kill(grid(3, 1), "storage-az1-1", 0);
    var view = ClusterView.of(nodes, List.of(
        group(1, "storage-az2-1", "storage-az1-1", "storage-az2-1", "storage-az3-1")), List.of());
    assertThat(admin.decide(view, TIMEOUT_MS)).isEmpty();
  }

  @Test
  void inFlightRepairIsNotIssuedTwiceAndTheOldReplicaStaysUntilTheNewOneIsReady() {
    var nodes = kill(grid(3, 2), "storage-az1-1", 0);
    var base = group(1, "storage-az2-1", "storage-az1-1", "storage-az2-1", "storage-az3-1");
    var add = new Decision.AddReplica(p(1), n("storage-az1-2"), n("storage-az1-1"), "test");
    assertThat(admin.decide(ClusterView.of(nodes, List.of(base), List.of(add)), TIMEOUT_MS))
        .isEmpty();

    var filling = new PartitionView(p(1), List.of(Replica.ready(n("storage-az1-1")),
        Replica.ready(n("storage-az2-1")), Replica.ready(n("storage-az3-1")),
        Replica.filling(n("storage-az1-2"), n("storage-az1-1"))), Optional.of(n("storage-az2-1")));
    assertThat(admin.decide(ClusterView.of(nodes, List.of(filling), List.of()), TIMEOUT_MS))
        .isEmpty();

    var ready = new PartitionView(p(1), filling.replicas().stream()
        .map(r -> r.node().equals(n("storage-az1-2")) ? r.asReady() : r).toList(),
        filling.leader());
    assertThat(admin.decide(ClusterView.of(nodes, List.of(ready), List.of()), TIMEOUT_MS))
        .containsExactly(new Decision.RemoveReplica(p(1), n("storage-az1-1"), n("storage-az1-2")));
  }

  @Test
  void aFillingReplacementOnANodeThatDiedIsAbandonedAndRestartedAfterwards() {
    var nodes = kill(kill(grid(3, 3), "storage-az1-1", 0), "storage-az1-2", 50_000);
    var filling = new PartitionView(p(1), List.of(Replica.ready(n("storage-az1-1")),
        Replica.ready(n("storage-az2-1")), Replica.ready(n("storage-az3-1")),
        Replica.filling(n("storage-az1-2"), n("storage-az1-1"))), Optional.of(n("storage-az2-1")));
    List<Decision> ds = admin.decide(ClusterView.of(nodes, List.of(filling), List.of()), 70_000);
    assertThat(ds).containsExactly(new Decision.AbandonReplica(p(1), n("storage-az1-2"),
        "storage-az1-2 died while the replica was filling"));
    // While the abandonment is in flight no second replacement starts (it would share the AZ).
    assertThat(admin.decide(ClusterView.of(nodes, List.of(filling), ds), 71_000)).isEmpty();
    var abandoned = group(1, "storage-az2-1", "storage-az1-1", "storage-az2-1", "storage-az3-1");
    assertThat(admin.decide(ClusterView.of(nodes, List.of(abandoned), List.of()), 72_000))
        .singleElement().isInstanceOfSatisfying(Decision.AddReplica.class,
            add -> assertThat(add.target()).isEqualTo(n("storage-az1-3")));
  }

  @Test
  void concurrentRepairsAreLimitedMostEndangeredFirst() {
    var nodes = kill(kill(grid(3, 3), "storage-az1-1", 0), "storage-az2-1", 0);
    List<PartitionView> parts = List.of(
        group(1, "storage-az3-1", "storage-az1-1", "storage-az2-2", "storage-az3-1"),
        group(2, "storage-az3-2", "storage-az1-1", "storage-az2-1", "storage-az3-2"),
        group(3, "storage-az3-3", "storage-az1-1", "storage-az2-3", "storage-az3-3"));
    List<Decision> ds = admin.decide(ClusterView.of(nodes, parts, List.of()), TIMEOUT_MS);
    List<Decision.AddReplica> adds = ds.stream().filter(d -> d instanceof Decision.AddReplica)
        .map(d -> (Decision.AddReplica) d).toList();
    assertThat(adds).hasSize(2);
    assertThat(adds.get(0).partition()).isEqualTo(p(2)); // one live replica left: first
  }

  @Test
  void leadershipIsHandedOffBeforeALiveReplacedLeaderIsRemoved() {
    var nodes = grid(3, 2); // storage-az1-1 came back after its replacement was started
    var view = new PartitionView(p(1), List.of(Replica.ready(n("storage-az1-1")),
        Replica.ready(n("storage-az2-1")), Replica.ready(n("storage-az3-1")),
        new Replica(n("storage-az1-2"), Replica.State.READY, Optional.of(n("storage-az1-1")))),
        Optional.of(n("storage-az1-1")));
    List<Decision> ds = admin.decide(ClusterView.of(nodes, List.of(view), List.of()), 0);
    assertThat(ds).first().isInstanceOfSatisfying(Decision.TransferLeader.class, t -> {
      assertThat(t.from()).isEqualTo(n("storage-az1-1"));
      assertThat(t.to()).isEqualTo(n("storage-az1-2"));
    });
    assertThat(ds).noneMatch(d -> d instanceof Decision.RemoveReplica);
  }

  @Test
  void leadersPiledOnOneNodeAreSpreadOut() {
    List<PartitionView> parts = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      parts.add(group(i, "storage-az1-1", "storage-az1-1", "storage-az2-1", "storage-az3-1"));
    }
    var balancing = new AutoAdmin(new AdminConfig(3, TIMEOUT_MS, 2, 100));
    List<Decision> ds = balancing.decide(ClusterView.of(grid(3, 1), parts, List.of()), 0);
    assertThat(ds).allMatch(d -> d instanceof Decision.TransferLeader).hasSize(6);
    long toAz2 = ds.stream().filter(d -> ((Decision.TransferLeader) d).to()
        .equals(n("storage-az2-1"))).count();
    assertThat(toAz2).isEqualTo(3);
    assertThat(ds.get(0).describe()).startsWith("transfer-leader p000001 storage-az1-1 -> ");
    // Once balanced, nothing more to do.
    assertThat(balancing.decide(ClusterView.of(grid(3, 1), parts, ds), 0)).isEmpty();
  }

  @Test
  void leaderTransfersPerDecisionAreLimited() {
    List<PartitionView> parts = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      parts.add(group(i, "storage-az1-1", "storage-az1-1", "storage-az2-1", "storage-az3-1"));
    }
    assertThat(admin.decide(ClusterView.of(grid(3, 1), parts, List.of()), 0)).hasSize(4);
  }
}
