package io.cairn.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.id.PartitionId;
import io.cairn.metadata.PartitionReplicas;
import io.cairn.server.cluster.ReplicaPlan.Step;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a storage node does for each assignment, replacements included (pure). */
class ReplicaPlanTest {
  static final PartitionId P1 = new PartitionId(1);
  static final PartitionId P2 = new PartitionId(2);
  static final PartitionId P3 = new PartitionId(3);
  static final List<String> GROUP = List.of("storage-az1-1", "storage-az2-1", "storage-az3-1");

  static PartitionReplicas assigned(PartitionId p, List<String> replicas) {
    return new PartitionReplicas(p, replicas, "", 5);
  }

  static PartitionReplicas replacing(PartitionId p, String filling, String replaced) {
    return new PartitionReplicas(p, GROUP, "storage-az2-1", 9,
        Optional.of(new PartitionReplicas.Replacement(filling, replaced)));
  }

  @Test
  void aNewPlacementIsCreatedWithTheWholeGroupAndAHostedOneIsLeftAlone() {
    List<Step> steps = ReplicaPlan.plan("storage-az1-1", List.of(assigned(P1, GROUP), assigned(P2, GROUP)), Set.of(P2),
        () -> Set.of());
    assertThat(steps).containsExactly(new Step.Create(P1, GROUP));
  }

  @Test
  void theFillingNodeJoinsEmptyAndTheReplacedOneKeepsItsReplicaUntilTheChangeIsDone() {
    PartitionReplicas a = replacing(P1, "storage-az1-2", "storage-az1-1");
    assertThat(ReplicaPlan.plan("storage-az1-2", List.of(a), Set.of(), Set::of))
        .containsExactly(new Step.Join(P1, "storage-az1-1", GROUP));
    // Once joined, nothing more to do on the filling node while the group fills it.
    assertThat(ReplicaPlan.plan("storage-az1-2", List.of(a), Set.of(P1), Set::of)).isEmpty();
    // The replaced node (back from the dead during the repair) is still named: it keeps its replica.
    assertThat(ReplicaPlan.plan("storage-az1-1", List.of(a), Set.of(P1), Set::of)).isEmpty();
    // A survivor does nothing either.
    assertThat(ReplicaPlan.plan("storage-az2-1", List.of(a), Set.of(P1), Set::of)).isEmpty();
  }

  @Test
  void aReplicaReplacedWhileItsNodeWasAwayIsDroppedAfterTheGroupConfirms() {
    List<String> after = List.of("storage-az1-2", "storage-az2-1", "storage-az3-1");
    assertThat(ReplicaPlan.plan("storage-az1-1", List.of(assigned(P1, after)), Set.of(P1), Set::of))
        .containsExactly(new Step.Drop(P1, after));
    // An abandoned filling node that had joined is dropped the same way (the group never took it).
    assertThat(ReplicaPlan.plan("storage-az1-2", List.of(assigned(P1, GROUP)), Set.of(P1), Set::of))
        .containsExactly(new Step.Drop(P1, GROUP));
  }

  @Test
  void withoutAnAssignmentOnlyADeletedTablesReplicaIsDroppedAndTablesAreAskedOnlyThen() {
    AtomicInteger asked = new AtomicInteger();
    List<Step> steps = ReplicaPlan.plan("storage-az1-1", List.of(assigned(P3, GROUP)), Set.of(P1, P2, P3), () -> {
      asked.incrementAndGet();
      return Set.of(P2);
    });
    assertThat(steps).containsExactly(new Step.DropDeleted(P1), new Step.KeepUnassigned(P2));
    assertThat(asked).hasValue(1);
    ReplicaPlan.plan("storage-az1-1", List.of(assigned(P3, GROUP)), Set.of(P3), () -> {
      asked.incrementAndGet();
      return Set.of();
    });
    assertThat(asked).hasValue(1);
  }
}
