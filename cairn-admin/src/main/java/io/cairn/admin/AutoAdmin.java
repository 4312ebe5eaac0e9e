package io.cairn.admin;

import io.cairn.core.Invariants;
import io.cairn.core.id.PartitionId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The auto-admin's placement and repair logic as a pure function: a {@link ClusterView} and the
 * current time in, {@link Decision}s out. The caller (a driver thread in a server, or a simulation)
 * enacts them and reports them back as in flight until they are done. In one call, in this order:
 *
 * <ol>
 *   <li>place each unplaced partition: one replica in each of {@code replicationFactor} distinct
 *       AZs, on the least-loaded live node of each, led by the chosen node leading the fewest;
 *   <li>abandon replacement replicas whose node died while they were filling;
 *   <li>finish replacements whose new replica is ready: hand leadership away from the old replica
 *       first if it leads, otherwise remove it (a replica is never removed before its replacement
 *       is ready);
 *   <li>start replacing replicas on nodes dead for at least {@code deadNodeRepairAfterMs}, the
 *       partitions with fewest live replicas first, up to {@code repairsInFlightMax} at once: a new
 *       replica on a live node in the same AZ if possible, else in an AZ the partition does not use;
 *   <li>balance leaders: move leadership from the node furthest above its fair share (its share of
 *       ready replicas on live nodes) to a fellow replica's node furthest below, while that
 *       narrows the gap, up to {@code leaderTransfersPerDecisionMax} transfers.
 * </ol>
 *
 * <p>Never two replicas of one partition in one AZ, except a replacement and the replica it
 * replaces; checked on every decision it issues.
 */
public final class AutoAdmin {
  private static final double FAIR_SHARE_EPSILON = 1e-9;

  private final AdminConfig config;

  public AutoAdmin(AdminConfig config) {
    this.config = config;
  }

  public AdminConfig config() {
    return config;
  }

  public List<Decision> decide(ClusterView view, long nowMs) {
    Working w = Working.of(view);
    List<Decision> out = new ArrayList<>();
    placeNewPartitions(w, out);
    abandonDeadFillers(w, out);
    finishReplacements(w, out);
    startRepairs(w, nowMs, restarting(view, out), out);
    Set<PartitionId> transferring = new HashSet<>();
    for (Decision d : view.inFlight()) {
      if (d instanceof Decision.TransferLeader t) {
        transferring.add(t.partition());
      }
    }
    balanceLeaders(w, transferring, out);
    return out;
  }

  private void placeNewPartitions(Working w, List<Decision> out) {
    for (Working.Partition p : w.partitions.values()) {
      if (!p.replicas.isEmpty()) {
        continue;
      }
      Map<AzId, NodeId> bestPerAz = new TreeMap<>();
      for (StorageNode n : w.nodes.values()) {
        if (!n.alive() || w.hosted(n.id()) >= n.replicaCapacity()) {
          continue;
        }
        bestPerAz.merge(n.az(), n.id(), (a, b) -> lessLoaded(w).compare(a, b) <= 0 ? a : b);
      }
      if (bestPerAz.size() < config.replicationFactor()) {
        continue; // Not enough AZs with room: the partition waits, placed on a later call.
      }
      List<NodeId> chosen = bestPerAz.values().stream().sorted(lessLoaded(w))
          .limit(config.replicationFactor()).sorted().toList();
      NodeId leader = chosen.stream()
          .min(Comparator.comparingInt(w::leaders).thenComparing(Comparator.naturalOrder()))
          .orElseThrow();
      issue(w, new Decision.PlacePartition(p.id, chosen, leader), out);
    }
  }

  private void abandonDeadFillers(Working w, List<Decision> out) {
    for (Working.Partition p : w.partitions.values()) {
      for (Replica r : List.copyOf(p.replicas)) {
        if (!r.isReady() && !w.alive(r.node())) {
          issue(w, new Decision.AbandonReplica(p.id, r.node(),
              r.node() + " died while the replica was filling"), out);
        }
      }
    }
  }

  private void finishReplacements(Working w, List<Decision> out) {
    for (Working.Partition p : w.partitions.values()) {
      for (Replica r : List.copyOf(p.replicas)) {
        if (!r.isReady() || r.replacing().isEmpty() || p.on(r.replacing().get()).isEmpty()) {
          continue;
        }
        NodeId old = r.replacing().get();
        if (old.equals(p.leader) && w.alive(old)) {
          if (w.alive(r.node())) {
            issue(w, new Decision.TransferLeader(p.id, old, r.node(),
                "hand off before removing the replaced replica"), out);
          }
        } else {
          issue(w, new Decision.RemoveReplica(p.id, old, r.node()), out);
        }
      }
    }
  }

  private record Repair(Working.Partition partition, NodeId dead, long liveReady) {}

  private record Slot(PartitionId partition, NodeId replaced) {}

  /**
   * Replicas whose replacement is being abandoned (in flight or just decided): a new replacement
   * waits until the abandoned one is gone, because the cluster may enact decisions in any order and
   * the two would briefly be two replicas in one AZ.
   */
  private static Set<Slot> restarting(ClusterView view, List<Decision> issued) {
    Set<Slot> slots = new HashSet<>();
    List<Decision> all = new ArrayList<>(view.inFlight());
    all.addAll(issued);
    for (Decision d : all) {
      if (d instanceof Decision.AbandonReplica a) {
        PartitionView p = view.partitions().get(a.partition());
        if (p != null) {
          p.replicaOn(a.node()).flatMap(Replica::replacing)
              .ifPresent(old -> slots.add(new Slot(a.partition(), old)));
        }
      }
    }
    return slots;
  }

  private void startRepairs(Working w, long nowMs, Set<Slot> restarting, List<Decision> out) {
    long inFlight = w.partitions.values().stream().flatMap(p -> p.replicas.stream())
        .filter(r -> !r.isReady() && r.replacing().isPresent()).count();
    List<Repair> due = new ArrayList<>();
    for (Working.Partition p : w.partitions.values()) {
      long liveReady = p.replicas.stream().filter(r -> r.isReady() && w.alive(r.node())).count();
      for (Replica r : p.replicas) {
        StorageNode node = w.nodes.get(r.node());
        if (r.isReady() && !node.alive() && nowMs - node.sinceMs() >= config.deadNodeRepairAfterMs()
            && !p.isBeingReplaced(r.node()) && !restarting.contains(new Slot(p.id, r.node()))) {
          due.add(new Repair(p, r.node(), liveReady));
        }
      }
    }
    due.sort(Comparator.comparingLong(Repair::liveReady)
        .thenComparingLong(r -> r.partition().id.value()).thenComparing(Repair::dead));
    for (Repair repair : due) {
      if (inFlight >= config.repairsInFlightMax()) {
        return;
      }
      Optional<NodeId> target = replacementTarget(w, repair.partition(), repair.dead());
      if (target.isPresent()) {
        long deadMs = nowMs - w.nodes.get(repair.dead()).sinceMs();
        issue(w, new Decision.AddReplica(repair.partition().id, target.get(), repair.dead(),
            repair.dead() + " dead for " + deadMs + " ms"), out);
        inFlight++;
      }
    }
  }

  /** A live node with room, in the dead replica's AZ if possible, else in an AZ not in use. */
  static Optional<NodeId> replacementTarget(Working w, Working.Partition p, NodeId dead) {
    Set<AzId> occupied = occupiedAzs(w, p, dead);
    AzId home = w.az(dead);
    return w.nodes.values().stream()
        .filter(n -> n.alive() && p.on(n.id()).isEmpty() && w.hosted(n.id()) < n.replicaCapacity()
            && !occupied.contains(n.az()))
        .map(StorageNode::id)
        .min(Comparator.<NodeId>comparingInt(n -> w.az(n).equals(home) ? 0 : 1)
            .thenComparing(lessLoaded(w)));
  }

  /** AZs held by the partition's replicas other than {@code except} and those being replaced. */
  static Set<AzId> occupiedAzs(Working w, Working.Partition p, NodeId except) {
    Set<AzId> occupied = new HashSet<>();
    for (Replica r : p.replicas) {
      if (!r.node().equals(except) && !p.isBeingReplaced(r.node())) {
        occupied.add(w.az(r.node()));
      }
    }
    return occupied;
  }

  private void balanceLeaders(Working w, Set<PartitionId> transferring, List<Decision> out) {
    for (int i = 0; i < config.leaderTransfersPerDecisionMax(); i++) {
      Map<NodeId, Double> excess = leaderExcess(w);
      Working.Partition bestPartition = null;
      NodeId bestTarget = null;
      double bestGap = 1.0 + FAIR_SHARE_EPSILON;
      for (Working.Partition p : w.partitions.values()) {
        if (p.leader == null || !w.alive(p.leader) || transferring.contains(p.id)) {
          continue;
        }
        for (Replica r : p.replicas) {
          if (!r.isReady() || r.node().equals(p.leader) || !w.alive(r.node())
              || p.isBeingReplaced(r.node())) {
            continue;
          }
          double gap = excess.get(p.leader) - excess.get(r.node());
          if (gap > bestGap) {
            bestGap = gap;
            bestPartition = p;
            bestTarget = r.node();
          }
        }
      }
      if (bestPartition == null) {
        return;
      }
      String reason = String.format("balance: %s leads %d, %s leads %d, gap above fair share %.1f",
          bestPartition.leader, w.leaders(bestPartition.leader), bestTarget,
          w.leaders(bestTarget), bestGap);
      transferring.add(bestPartition.id);
      issue(w, new Decision.TransferLeader(bestPartition.id, bestPartition.leader, bestTarget,
          reason), out);
    }
  }

  /**
   * For each live node: leaders it holds minus its fair share, where the fair share is its part of
   * the ready replicas on live nodes times the number of leaders on live nodes.
   */
  static Map<NodeId, Double> leaderExcess(Working w) {
    Map<NodeId, Integer> ready = new TreeMap<>();
    int readyTotal = 0;
    int leadersTotal = 0;
    for (Working.Partition p : w.partitions.values()) {
      for (Replica r : p.replicas) {
        if (r.isReady() && w.alive(r.node())) {
          ready.merge(r.node(), 1, Integer::sum);
          readyTotal++;
        }
      }
      if (p.leader != null && w.alive(p.leader)) {
        leadersTotal++;
      }
    }
    Map<NodeId, Double> excess = new TreeMap<>();
    for (StorageNode n : w.nodes.values()) {
      if (n.alive()) {
        double share = readyTotal == 0
            ? 0 : (double) ready.getOrDefault(n.id(), 0) * leadersTotal / readyTotal;
        excess.put(n.id(), w.leaders(n.id()) - share);
      }
    }
    return excess;
  }

  private static Comparator<NodeId> lessLoaded(Working w) {
    return Comparator.<NodeId>comparingInt(w::hosted).thenComparing(Comparator.naturalOrder());
  }

  /** Applies the decision to the scratch view, checks it kept the rules, and emits it. */
  private void issue(Working w, Decision d, List<Decision> out) {
    Working.Partition p = w.partitions.get(d.partition());
    switch (d) {
      case Decision.PlacePartition place -> Invariants.check(
          place.replicas().stream().map(w::az).distinct().count() == config.replicationFactor(),
          "placement of %s must use %d distinct AZs: %s", d.partition(),
          config.replicationFactor(), place.replicas());
      case Decision.AddReplica add -> {
        Invariants.check(w.alive(add.target()) && p.on(add.target()).isEmpty(),
            "replacement target %s must be live and new to %s", add.target(), d.partition());
        Invariants.check(!occupiedAzs(w, p, add.replacing()).contains(w.az(add.target())),
            "replacement of %s on %s would put two replicas in %s", d.partition(), add.target(),
            w.az(add.target()));
      }
      case Decision.RemoveReplica remove -> Invariants.check(
          p.on(remove.replacedBy()).map(Replica::isReady).orElse(false),
          "%s: removing %s before its replacement %s is ready", d.partition(), remove.node(),
          remove.replacedBy());
      case Decision.AbandonReplica abandon -> Invariants.check(
          p.on(abandon.node()).map(r -> !r.isReady()).orElse(false),
          "%s: only a filling replica may be abandoned (%s)", d.partition(), abandon.node());
      case Decision.TransferLeader transfer -> Invariants.check(
          p.on(transfer.to()).map(Replica::isReady).orElse(false) && w.alive(transfer.to()),
          "%s: leadership may only go to a ready replica on a live node (%s)", d.partition(),
          transfer.to());
    }
    w.apply(d);
    out.add(d);
  }
}
