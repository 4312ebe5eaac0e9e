package io.cairn.endpoint.runtime;

import io.cairn.core.Invariants;
import io.cairn.endpoint.Alarms;
import io.cairn.endpoint.DecisionLog;
import io.cairn.endpoint.Enactor;
import io.cairn.endpoint.EnactorConfig;
import io.cairn.endpoint.EndpointLimits;
import io.cairn.endpoint.EndpointNames;
import io.cairn.endpoint.EndpointState;
import io.cairn.endpoint.Mode;
import io.cairn.endpoint.Step;
import io.cairn.endpoint.dns.DnsProvider;
import io.cairn.endpoint.plan.Plan;
import io.cairn.endpoint.plan.PlanStore;
import io.cairn.endpoint.plan.Planner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin driver: a planner loop and one loop per enactor, each on its own thread so one stuck
 * enactor cannot stall another, with the clock and the jitter injected. All decisions are made by
 * {@link Planner} and {@link Enactor}; this class only reads, applies and sleeps.
 */
public final class EndpointManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointManager.class);

  /** Intervals and limits for one endpoint. */
  public record Config(EndpointNames names, List<String> enactorIds, long plannerIntervalMs,
      long enactorIntervalMs, long leaseMs, int keepPlans) {
    public Config {
      enactorIds = List.copyOf(enactorIds);
      Invariants.check(!enactorIds.isEmpty(), "no enactors");
      Invariants.check(plannerIntervalMs >= 10 && enactorIntervalMs >= 10, "intervals under 10 ms");
      Invariants.check(leaseMs >= 10 * enactorIntervalMs,
          "lease %d ms must cover ten enactor intervals of %d ms", leaseMs, enactorIntervalMs);
    }

    public static Config local(EndpointNames names) {
      return new Config(names, List.of("az1", "az2", "az3"), 1_000, 1_000, 30_000, 5);
    }
  }

  private final Config config;
  private final DnsProvider dns;
  private final PlanStore plans;
  private final FleetSource fleet;
  private final LongSupplier clockMs;
  private final RandomGenerator random;
  private final DecisionLog log;
  private final Planner planner;
  private final List<ScheduledExecutorService> loops = new ArrayList<>();

  public EndpointManager(Config config, DnsProvider dns, PlanStore plans, FleetSource fleet,
      LongSupplier clockMs, RandomGenerator random, DecisionLog log) {
    EndpointLimits.check();
    this.config = config;
    this.dns = dns;
    this.plans = plans;
    this.fleet = fleet;
    this.clockMs = clockMs;
    this.random = random;
    this.log = log;
    this.planner = new Planner(log);
  }

  public void start() {
    ScheduledExecutorService p = loop("cairn-endpoint-planner");
    p.scheduleWithFixedDelay(this::planOnce, 0, config.plannerIntervalMs(), TimeUnit.MILLISECONDS);
    for (String id : config.enactorIds()) {
      Enactor e = new Enactor(id, config.names(),
          new EnactorConfig(config.leaseMs(), config.keepPlans(), Mode.GUARDED), log);
      ScheduledExecutorService s = loop("cairn-endpoint-enactor-" + id);
      long jitterMs;
      synchronized (random) {
        jitterMs = random.nextLong(config.enactorIntervalMs());
      }
      s.scheduleWithFixedDelay(() -> enactOnce(e), jitterMs, config.enactorIntervalMs(),
          TimeUnit.MILLISECONDS);
    }
  }

  private ScheduledExecutorService loop(String name) {
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    loops.add(s);
    return s;
  }

  void planOnce() {
    try {
      Optional<Plan> next = planner.plan(fleet.read(), plans.newest());
      next.ifPresent(plans::publish);
      List<Alarms.Alarm> alarms = Alarms.evaluate(EndpointState.read(dns.snapshot(), config.names()),
          plans.newest());
      for (Alarms.Alarm a : alarms) {
        LOG.atError().addKeyValue("component", "alarm").addKeyValue("alarm", a.name())
            .addKeyValue("endpoint", config.names().endpoint()).log(a.message());
      }
    } catch (Exception e) {
      LOG.warn("planner cycle failed; will retry", e);
    }
  }

  /** Runs one enactor until it has nothing more to do this cycle (bounded). */
  void enactOnce(Enactor e) {
    try {
      for (int i = 0; i < Enactor.PHASES_PER_DECIDE_MAX; i++) {
        EndpointState s = EndpointState.read(dns.snapshot(), config.names());
        Step st = e.decide(s, plans.newest(), clockMs.getAsLong());
        if (!(st instanceof Step.Apply a)) {
          return;
        }
        io.cairn.endpoint.dns.BatchResult r;
        try {
          r = dns.apply(a.batch());
        } catch (RuntimeException ex) {
          // The enactor must always hear back about a batch it proposed.
          r = new io.cairn.endpoint.dns.BatchResult.Rejected(
              io.cairn.endpoint.dns.BatchResult.Reason.UNAVAILABLE, -1, ex.toString());
        }
        e.onResult(r, s);
      }
    } catch (Exception ex) {
      LOG.warn("enactor {} cycle failed; will retry", e.id(), ex);
    }
  }

  @Override
  public void close() {
    loops.forEach(ScheduledExecutorService::shutdownNow);
  }
}
