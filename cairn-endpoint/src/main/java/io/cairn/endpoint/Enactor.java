package io.cairn.endpoint;

import io.cairn.endpoint.dns.BatchResult;
import io.cairn.endpoint.dns.ChangeBatch;
import io.cairn.endpoint.dns.DnsRecord;
import io.cairn.endpoint.plan.Plan;
import io.cairn.endpoint.plan.PlanVersion;
import java.util.Optional;

/**
 * One enactor (one per AZ). A pure state machine: {@link #decide} takes a zone snapshot, the newest
 * plan and the time, and returns at most one change batch; the driver applies it and reports the
 * result through {@link #onResult}. Enactors never talk to each other: the zone is their only shared
 * state, and every write is a compare-and-set against what they read.
 *
 * <p>A cycle: START (pick the newest plan) → LOCK (compare-and-set the {@code _lock} TXT, fence + 1)
 * → BUILD (create the plan's tree) → FLIP (swap {@code _active} and the root in one batch) → RELEASE
 * → CLEAN (no lock needed; see {@link Cleaner}). Every batch while holding the lock carries the lock
 * record exactly as written, renewed, so a holder whose lease was taken over fails as a whole.
 */
public final class Enactor {
  /** Where the enactor is in its cycle. */
  public enum Phase {
    START,
    LOCK,
    BUILD,
    FLIP,
    RELEASE,
    CLEAN
  }

  public static final int PHASES_PER_DECIDE_MAX = 8;

  private final String id;
  private final EndpointNames names;
  private final EnactorConfig config;
  private final DecisionLog log;
  private final Cleaner cleaner;

  private Phase phase = Phase.START;
  private Phase pending;
  private Plan held;
  private DnsRecord heldLock;
  private DnsRecord lockAfterPending;
  private long fenceSeenMax;

  public Enactor(String id, EndpointNames names, EnactorConfig config, DecisionLog log) {
    this.id = id;
    this.names = names;
    this.config = config;
    this.log = log;
    this.cleaner = new Cleaner(id, names, config.keepPlans(), config.mode(), log);
  }

  public String id() {
    return id;
  }

  public Phase phase() {
    return phase;
  }

  public Optional<Plan> heldPlan() {
    return Optional.ofNullable(held);
  }

  private boolean guarded() {
    return config.mode() == Mode.GUARDED;
  }

  private Long fence() {
    return heldLock == null ? null : LockRecord.parse(heldLock).map(LockRecord::fence).orElse(null);
  }

  private PlanVersion heldVersion() {
    return held == null ? null : held.version();
  }

  private void note(EndpointState s, String action, String result, String reason) {
    log.decision("enactor", id, heldVersion(), s.activeVersion(), fence(), action, result, reason);
  }

  public Step decide(EndpointState s, Optional<Plan> newest, long nowMs) {
    io.cairn.core.Invariants.check(pending == null, "enactor %s decided twice without a result", id);
    if (s.frozen()) {
      note(s, phase.name().toLowerCase(java.util.Locale.ROOT), "FROZEN",
          "freeze record present: " + s.freezeRecord().get().value());
      return new Step.Idle("frozen");
    }
    s.lock().ifPresent(l -> {
      if (!guarded() || l.fence() >= fenceSeenMax) {
        fenceSeenMax = Math.max(fenceSeenMax, l.fence());
      }
    });
    if (guarded()) {
      Optional<String> impossible = impossibleState(s, newest);
      if (impossible.isPresent()) {
        note(s, "freeze", "proposed", impossible.get());
        pending = Phase.START;
        lockAfterPending = heldLock;
        return new Step.Apply(ChangeBatch.builder("auto-freeze by " + id)
            .create(FreezeRecord.auto(id, impossible.get()).toRecord(names)).build());
      }
    }
    for (int i = 0; i < PHASES_PER_DECIDE_MAX; i++) {
      Step step = switch (phase) {
        case START -> start(s, newest);
        case LOCK -> lock(s, nowMs);
        case BUILD -> build(s, nowMs);
        case FLIP -> flip(s, nowMs);
        case RELEASE -> release(s);
        case CLEAN -> clean(s);
      };
      if (step != null) {
        return step;
      }
    }
    return new Step.Idle("no progress in " + PHASES_PER_DECIDE_MAX + " phases");
  }

  /** States the protocol can never produce; seeing one means stop and call a human. */
  private Optional<String> impossibleState(EndpointState s, Optional<Plan> newest) {
    PlanVersion active = s.activeVersion();
    if (s.root().isPresent() && !s.zone().nameExists(s.root().get().value())) {
      return Optional.of("root " + names.endpoint() + " points at " + s.root().get().value()
          + " which does not exist");
    }
    if (active != null && newest.isPresent() && active.compareTo(newest.get().version()) > 0) {
      return Optional.of("active " + active + " is ahead of the newest plan " + newest.get().version());
    }
    if (active != null && s.rootTarget().isPresent() && !s.rootTarget().get().equals(active)) {
      return Optional.of("root points at " + s.rootTarget().get() + " but _active says " + active);
    }
    if (s.lock().isPresent() && s.lock().get().fence() < fenceSeenMax) {
      return Optional.of("lock fence went backwards from " + fenceSeenMax + " to "
          + s.lock().get().fence());
    }
    return Optional.empty();
  }

  private Step start(EndpointState s, Optional<Plan> newest) {
    if (newest.isEmpty()) {
      return new Step.Idle("no plan published");
    }
    held = newest.get();
    if (guarded() && !held.version().newerThan(s.activeVersion())) {
      held = null;
      phase = Phase.CLEAN;
      return null;
    }
    note(s, "pick", "ok", "newest plan " + held.version() + " hash " + held.hash());
    phase = Phase.LOCK;
    return null;
  }

  private Step lock(EndpointState s, long nowMs) {
    Optional<LockRecord> current = s.lock();
    if (current.isPresent() && !current.get().isFree() && !current.get().heldBy(id)
        && !current.get().expired(nowMs)) {
      note(s, "lock", "busy", "lock held by " + current.get().holder() + " fence "
          + current.get().fence() + " until " + current.get().expiresMs());
      return new Step.Idle("lock busy");
    }
    long fence = current.map(LockRecord::fence).orElse(0L) + 1;
    DnsRecord next = new LockRecord(id, fence, nowMs + config.leaseMs()).toRecord(names);
    pending = Phase.LOCK;
    lockAfterPending = next;
    note(s, "lock", "proposed", "fence " + fence);
    return new Step.Apply(ChangeBatch.builder("lock " + id + " fence " + fence)
        .swap(s.lockRecord().orElse(null), next).build());
  }

  /** Starts a batch that carries the held lock, renewed: it fails whole if the lock moved. */
  private ChangeBatch.Builder locked(String comment, long nowMs) {
    LockRecord l = LockRecord.parse(heldLock).orElseThrow();
    DnsRecord renewed = new LockRecord(id, l.fence(), nowMs + config.leaseMs()).toRecord(names);
    lockAfterPending = renewed;
    return ChangeBatch.builder(comment + " (" + id + " fence " + l.fence() + ")")
        .swap(heldLock, renewed);
  }

  private Step stale(EndpointState s, String where) {
    note(s, where, "dropped", "plan " + held.version() + " is not newer than active "
        + s.activeVersion() + "; stale plans are dropped, never retried");
    held = null;
    phase = Phase.RELEASE;
    return null;
  }

  private Step build(EndpointState s, long nowMs) {
    if (guarded() && !held.version().newerThan(s.activeVersion())) {
      return stale(s, "build");
    }
    if (s.treeExists(held.version())) {
      phase = Phase.FLIP;
      return null;
    }
    ChangeBatch.Builder b = locked("build " + names.planNode(held.version()), nowMs);
    for (DnsRecord r : TreeBuilder.records(names, held)) {
      b.create(r);
    }
    pending = Phase.BUILD;
    note(s, "build", "proposed", "tree " + names.planNode(held.version()) + " with "
        + held.targets().size() + " targets");
    return new Step.Apply(b.build());
  }

  private Step flip(EndpointState s, long nowMs) {
    ActiveRecord next = ActiveRecord.of(held);
    DnsRecord root = TreeBuilder.root(names, held);
    if (guarded()) {
      if (!held.version().newerThan(s.activeVersion())) {
        return stale(s, "flip");
      }
      if (!s.treeExists(held.version())) {
        note(s, "flip", "skipped", "tree " + names.planNode(held.version()) + " missing; rebuilding");
        phase = Phase.BUILD;
        return new Step.Idle("tree missing");
      }
    }
    ChangeBatch.Builder b = locked("flip to " + names.planNode(held.version()), nowMs);
    if (guarded()) {
      b.swap(s.activeRecord().orElse(null), next.toRecord(names));
      b.swap(s.root().orElse(null), root);
      for (DnsRecord r : s.planNodeRecords(held.version())) {
        b.require(r);
      }
    } else {
      b.upsert(next.toRecord(names));
      b.upsert(root);
    }
    pending = Phase.FLIP;
    note(s, "flip", "proposed", names.endpoint() + " -> " + names.planNode(held.version()));
    return new Step.Apply(b.build());
  }

  private Step release(EndpointState s) {
    if (heldLock == null) {
      phase = Phase.CLEAN;
      return null;
    }
    LockRecord l = LockRecord.parse(heldLock).orElseThrow();
    DnsRecord free = new LockRecord(LockRecord.NONE, l.fence(), 0).toRecord(names);
    pending = Phase.RELEASE;
    lockAfterPending = null;
    return new Step.Apply(ChangeBatch.builder("release " + id + " fence " + l.fence())
        .swap(heldLock, free).build());
  }

  private Step clean(EndpointState s) {
    Optional<ChangeBatch> batch = cleaner.decide(s, heldVersion());
    if (batch.isEmpty()) {
      held = null;
      phase = Phase.START;
      return new Step.Idle("cycle done");
    }
    pending = Phase.CLEAN;
    return new Step.Apply(batch.get());
  }

  public void onResult(BatchResult result, EndpointState before) {
    Phase was = pending;
    io.cairn.core.Invariants.check(was != null, "enactor %s got a result with nothing pending", id);
    pending = null;
    switch (result) {
      case BatchResult.Applied a -> {
        heldLock = lockAfterPending;
        note(before, was.name().toLowerCase(java.util.Locale.ROOT), "applied", "zone serial " + a.zoneSerial());
        phase = switch (was) {
          case START -> Phase.START;
          case LOCK -> Phase.BUILD;
          case BUILD -> Phase.FLIP;
          case FLIP -> Phase.RELEASE;
          case RELEASE -> Phase.CLEAN;
          case CLEAN -> {
            held = null;
            yield Phase.START;
          }
        };
      }
      case BatchResult.Rejected r -> {
        note(before, was.name().toLowerCase(java.util.Locale.ROOT), "rejected",
            r.reason() + " at change " + r.changeIndex() + ": " + r.detail());
        // As in 2025, a failed enactor keeps its plan and tries for the lock again; the guards, not
        // this retry policy, are what keep an old plan from going live.
        heldLock = null;
        phase = switch (was) {
          case START, CLEAN -> {
            held = null;
            yield Phase.START;
          }
          case LOCK, BUILD, FLIP -> Phase.LOCK;
          case RELEASE -> Phase.CLEAN;
        };
      }
    }
  }
}
