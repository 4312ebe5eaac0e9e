package io.cairn.endpoint;

import io.cairn.endpoint.dns.BatchResult;
import io.cairn.endpoint.dns.ChangeBatch;
import io.cairn.endpoint.dns.EndpointResolver;
import io.cairn.endpoint.dns.InMemoryZone;
import io.cairn.endpoint.plan.Plan;
import io.cairn.endpoint.plan.PlanVersion;
import io.cairn.endpoint.plan.Planner;
import io.cairn.endpoint.plan.RouterStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * One seeded schedule: a planner reacting to router health, three enactors with random delays,
 * pauses longer than the lease, crashes (with their last batch sometimes still delivered after the
 * crash) and two lock-free cleaners, all sharing one zone and one manual clock. After every event
 * it checks that the endpoint resolves to at least one healthy router and that the active version
 * never decreases; at the end it lets the system settle and checks that the newest plan went live.
 */
final class Simulation {
  static final int ROUTERS = 5;
  static final int ROUTERS_DOWN_MAX = 2;
  static final int ENACTORS = 3;
  static final int CLEANERS = 2;
  static final long LEASE_MS = 30_000;
  static final int KEEP_PLANS = 3;

  /** A broken invariant, with the seed and the step that broke it. */
  static final class Violation extends RuntimeException {
    Violation(long seed, Mode mode, int step, String what) {
      super("seed " + seed + " step " + step + ": " + what
          + " (replay: -Dcairn.sim.seed=" + seed
          + (mode == Mode.LEGACY_TEST_ONLY ? " -Dcairn.sim.mode=legacy" : "") + ")");
    }
  }

  private final long seed;
  private final Mode mode;
  private final Random rnd;
  private final DecisionLog log;
  private final World w;
  private final Planner planner;
  private final boolean[] healthy = new boolean[ROUTERS];
  private final Enactor[] enactors = new Enactor[ENACTORS];
  private final PendingBatch[] inFlight = new PendingBatch[ENACTORS];
  private final long[] pausedUntilMs = new long[ENACTORS];
  private final List<Cleaner> cleaners = new ArrayList<>();
  private final ChangeBatch[] cleanerInFlight = new ChangeBatch[CLEANERS];
  private final List<ChangeBatch> orphans = new ArrayList<>();
  private final io.cairn.endpoint.tools.OperatorCommands operator;
  private int unfreezeAtStep = -1;
  private long activeSeenMax;
  private int step;
  int crashes;
  int rejected;
  int flips;
  int rollbacks;

  /** A batch an enactor decided on but the zone has not received yet. */
  private record PendingBatch(ChangeBatch batch, EndpointState before) {}

  Simulation(long seed, Mode mode, DecisionLog log) {
    this.seed = seed;
    this.mode = mode;
    this.rnd = new Random(seed);
    this.log = log;
    this.w = new World(new InMemoryZone("cairn.internal"), log);
    this.planner = new Planner(log);
    this.operator = new io.cairn.endpoint.tools.OperatorCommands(w.zone, w.names, "sim-operator", log);
    for (int i = 0; i < ROUTERS; i++) {
      healthy[i] = true;
    }
    for (int i = 0; i < ENACTORS; i++) {
      enactors[i] = newEnactor(i);
    }
    for (int i = 0; i < CLEANERS; i++) {
      cleaners.add(new Cleaner("cleaner-" + (i + 1), w.names, KEEP_PLANS, mode, log));
    }
  }

  private Enactor newEnactor(int i) {
    return new Enactor("az" + (i + 1), w.names, new EnactorConfig(LEASE_MS, KEEP_PLANS, mode), log);
  }

  private List<RouterStatus> fleet() {
    List<RouterStatus> out = new ArrayList<>();
    for (int i = 0; i < ROUTERS; i++) {
      out.add(new RouterStatus(String.format("lb-az%d-%03d", i % 3 + 1, i), "az" + (i % 3 + 1),
          "127.0.1." + (10 + i), 2 + (i % 3), healthy[i]));
    }
    return out;
  }

  private void replan() {
    Optional<Plan> p = planner.plan(fleet(), w.plans.newest());
    p.ifPresent(w.plans::publish);
  }

  /** Runs the schedule; throws {@link Violation} on the first broken invariant. */
  void run(int events) {
    replan();
    // Bring the endpoint up before faults start: the invariants are about keeping it up.
    for (int i = 0; i < 10 && w.state().activeVersion() == null; i++) {
      w.runOnce(enactors[0]);
    }
    check();
    for (step = 0; step < events; step++) {
      event();
      check();
    }
    settle();
  }

  private void event() {
    if (unfreezeAtStep >= 0 && step >= unfreezeAtStep) {
      operator.unfreeze();
      unfreezeAtStep = -1;
    }
    int r = rnd.nextInt(100);
    if (r < 10) {
      w.nowMs += rnd.nextInt(3_000);
    } else if (r < 20) {
      toggleRouter();
    } else if (r < 72) {
      enactorStep(rnd.nextInt(ENACTORS));
    } else if (r < 78) {
      int i = rnd.nextInt(ENACTORS);
      pausedUntilMs[i] = w.nowMs + rnd.nextInt((int) (2 * LEASE_MS));
    } else if (r < 82) {
      crash(rnd.nextInt(ENACTORS));
    } else if (r < 86) {
      deliverOrphan();
    } else if (r < 95) {
      cleanerStep(rnd.nextInt(CLEANERS));
    } else if (r < 96) {
      operatorRollback();
    } else {
      w.nowMs += rnd.nextInt((int) LEASE_MS);
    }
  }

  /**
   * A cleaner either delivers the batch it decided on earlier (the zone may have moved since: a
   * flip in between must make it fail) or reads and decides anew.
   */
  private void cleanerStep(int j) {
    if (cleanerInFlight[j] != null && rnd.nextBoolean()) {
      if (!w.zone.apply(cleanerInFlight[j]).applied()) {
        rejected++;
      }
      cleanerInFlight[j] = null;
      return;
    }
    cleanerInFlight[j] = cleaners.get(j).decide(w.state(), null).orElse(null);
    if (cleanerInFlight[j] != null && rnd.nextBoolean()) {
      w.zone.apply(cleanerInFlight[j]);
      cleanerInFlight[j] = null;
    }
  }

  /**
   * An operator rolls back to an older tree still in DNS (which also freezes), and unfreezes a few
   * events later. This is the one way the active version may go down, and it is what the cleaner's
   * pin on {@code _active} is for: a cleaner that read the zone before the rollback may hold a batch
   * deleting the very tree the operator just rolled back to.
   */
  private void operatorRollback() {
    EndpointState s = w.state();
    List<PlanVersion> older = s.planVersions().stream()
        .filter(v -> s.activeVersion() != null && v.compareTo(s.activeVersion()) < 0 && s.treeExists(v))
        .toList();
    if (older.isEmpty() || s.frozen()) {
      return;
    }
    PlanVersion target = older.get(rnd.nextInt(older.size()));
    if (operator.rollback(target).ok()) {
      rollbacks++;
      activeSeenMax = target.value();
      unfreezeAtStep = step + 1 + rnd.nextInt(20);
    }
  }

  private void toggleRouter() {
    int i = rnd.nextInt(ROUTERS);
    int down = 0;
    for (boolean h : healthy) {
      down += h ? 0 : 1;
    }
    if (healthy[i] && down >= ROUTERS_DOWN_MAX) {
      return;
    }
    healthy[i] = !healthy[i];
    replan();
  }

  private void enactorStep(int i) {
    if (w.nowMs < pausedUntilMs[i]) {
      return;
    }
    Enactor e = enactors[i];
    if (inFlight[i] != null) {
      deliver(i);
      return;
    }
    EndpointState s = w.state();
    Step st = e.decide(s, w.plans.newest(), w.nowMs);
    if (st instanceof Step.Apply a) {
      inFlight[i] = new PendingBatch(a.batch(), s);
      // Most batches go straight out; some wait, letting others run between read and write.
      if (rnd.nextInt(10) < 6) {
        deliver(i);
      }
    }
  }

  private void deliver(int i) {
    PendingBatch p = inFlight[i];
    inFlight[i] = null;
    BatchResult result = w.zone.apply(p.batch());
    if (!result.applied()) {
      rejected++;
    } else if (p.batch().comment().startsWith("flip")) {
      flips++;
    }
    enactors[i].onResult(result, p.before());
  }

  private void crash(int i) {
    crashes++;
    if (inFlight[i] != null && rnd.nextBoolean()) {
      // The request left before the crash and may still land later.
      orphans.add(inFlight[i].batch());
    }
    inFlight[i] = null;
    enactors[i] = newEnactor(i);
  }

  private void deliverOrphan() {
    if (!orphans.isEmpty()) {
      w.zone.apply(orphans.remove(rnd.nextInt(orphans.size())));
    }
  }

  private void check() {
    EndpointState s = w.state();
    List<EndpointResolver.WeightedAddress> answer =
        EndpointResolver.resolve(s.zone(), w.names.endpoint());
    if (answer.isEmpty()) {
      throw new Violation(seed, mode, step, "endpoint resolves to zero addresses\n" + s.zone());
    }
    Set<String> up = new HashSet<>();
    for (RouterStatus r : fleet()) {
      if (r.healthy()) {
        up.add(r.address());
      }
    }
    if (answer.stream().noneMatch(a -> up.contains(a.address()) && a.weight() > 0)) {
      throw new Violation(seed, mode, step, "no healthy router in " + answer);
    }
    PlanVersion active = s.activeVersion();
    long v = active == null ? 0 : active.value();
    if (v < activeSeenMax) {
      throw new Violation(seed, mode, step, "active version went back from " + activeSeenMax + " to " + v);
    }
    activeSeenMax = v;
    if (mode == Mode.GUARDED && s.frozen() && !s.freezeRecord().get().value().contains("by=sim-operator")) {
      throw new Violation(seed, mode, step, "the guarded protocol froze itself: "
          + s.freezeRecord().get().value());
    }
  }

  /** No more faults: leases run out, everyone runs, and the newest plan must go live. */
  private void settle() {
    orphans.clear();
    operator.unfreeze();
    w.nowMs += 3 * LEASE_MS;
    for (int round = 0; round < 30; round++) {
      for (int i = 0; i < ENACTORS; i++) {
        pausedUntilMs[i] = 0;
        enactorStep(i);
        if (inFlight[i] != null) {
          deliver(i);
        }
        check();
      }
      w.nowMs += 1_000;
    }
    PlanVersion newest = w.plans.newest().orElseThrow().version();
    if (!newest.equals(w.state().activeVersion())) {
      throw new Violation(seed, mode, step, "after settling, active is " + w.state().activeVersion()
          + " but the newest plan is " + newest);
    }
  }

  long activeVersion() {
    return activeSeenMax;
  }
}
