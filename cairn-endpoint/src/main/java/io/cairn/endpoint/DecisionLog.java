package io.cairn.endpoint;

import io.cairn.endpoint.plan.PlanVersion;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where decisions go: one line each. The production sink writes SLF4J key-value pairs (rendered as
 * JSON by the logstash encoder); tests record them; simulations keep only the last few so a failing
 * seed can show what led to it without slowing 10,000 schedules down.
 */
public interface DecisionLog {
  void record(Decision d);

  String endpoint();

  /** Discards everything: for the hot loop of a simulation. */
  static DecisionLog discard(String endpoint) {
    return new DecisionLog() {
      @Override
      public void record(Decision d) {}

      @Override
      public String endpoint() {
        return endpoint;
      }
    };
  }

  default void decision(String component, String enactor, PlanVersion plan, PlanVersion active,
      Long fence, String action, String result, String reason) {
    record(new Decision(component, enactor, endpoint(), plan, active, fence, action, result, reason));
  }

  static DecisionLog slf4j(String endpoint) {
    return new Slf4j(endpoint);
  }

  /** Logs through SLF4J with structured key-values; FROZEN and refusals at WARN. */
  final class Slf4j implements DecisionLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.cairn.endpoint.decisions");
    private final String endpoint;

    public Slf4j(String endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public String endpoint() {
      return endpoint;
    }

    @Override
    public void record(Decision d) {
      boolean loud = "FROZEN".equals(d.result()) || "freeze".equals(d.action())
          || "dropped".equals(d.result()) || "refused".equals(d.result());
      (loud ? LOG.atWarn() : LOG.atInfo())
          .addKeyValue("component", d.component())
          .addKeyValue("enactor", d.enactor())
          .addKeyValue("endpoint", d.endpoint())
          .addKeyValue("plan", d.plan() == null ? null : d.plan().label())
          .addKeyValue("active_version", d.activeVersion() == null ? null : d.activeVersion().value())
          .addKeyValue("fence", d.fence())
          .addKeyValue("action", d.action())
          .addKeyValue("result", d.result())
          .addKeyValue("reason", d.reason())
          .log("{} {} {} {}", d.component(), d.action(), d.result(), d.reason());
    }
  }

  /** Keeps the last {@code capacity} decisions in memory. */
  final class Recording implements DecisionLog {
    private final String endpoint;
    private final int capacity;
    private final ArrayDeque<Decision> decisions = new ArrayDeque<>();

    public Recording(String endpoint, int capacity) {
      this.endpoint = endpoint;
      this.capacity = capacity;
    }

    @Override
    public String endpoint() {
      return endpoint;
    }

    @Override
    public synchronized void record(Decision d) {
      if (decisions.size() == capacity) {
        decisions.removeFirst();
      }
      decisions.add(d);
    }

    public synchronized List<Decision> decisions() {
      return List.copyOf(decisions);
    }

    public synchronized void clear() {
      decisions.clear();
    }
  }
}
