package io.cairn.endpoint.runtime;

import io.cairn.core.Invariants;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides whether a router is healthy from its health probes and the time; pure (no clock, no
 * sockets), so the rule is tested with a hand-driven clock.
 *
 * <p>The rule: a router is healthy from its first answered probe on. A refused probe (nothing
 * listens on its address, or it answered with an error status) takes it out at once: a dead router
 * must leave DNS within a planner cycle. A probe that got no answer in time (a GC pause, a loaded
 * machine) keeps a router that answered within the last {@code noAnswerGraceMs}: one slow probe
 * must not reshuffle the endpoint, while a router that stays silent past the grace goes out.
 */
public final class RouterHealth {
  /** What one probe saw. */
  public enum Probe {
    /** The router answered its health check with 200. */
    HEALTHY,
    /** The connection was refused, or the router answered with another status. */
    REFUSED,
    /** No answer within the probe's timeout, or the connection broke. */
    NO_ANSWER
  }

  /**
   * The verdict on one router after one probe.
   *
   * @param changed whether it differs from the previous verdict (the first verdict always does)
   * @param reason why, in words for the log
   */
  public record Verdict(boolean healthy, boolean changed, String reason) {}

  private final long noAnswerGraceMs;
  private final Map<String, Long> lastHealthyMs = new HashMap<>();
  private final Map<String, Boolean> verdicts = new HashMap<>();

  public RouterHealth(long noAnswerGraceMs) {
    Invariants.check(noAnswerGraceMs >= 0, "noAnswerGraceMs %d", noAnswerGraceMs);
    this.noAnswerGraceMs = noAnswerGraceMs;
  }

  public Verdict observe(String routerId, Probe probe, long nowMs) {
    if (probe == Probe.HEALTHY) {
      lastHealthyMs.put(routerId, nowMs);
    }
    Long last = lastHealthyMs.get(routerId);
    boolean healthy = switch (probe) {
      case HEALTHY -> true;
      case REFUSED -> false;
      case NO_ANSWER -> last != null && nowMs - last < noAnswerGraceMs;
    };
    String reason = switch (probe) {
      case HEALTHY -> "answered its health check";
      case REFUSED -> "refused its health check (not running, or answered with an error status)";
      case NO_ANSWER -> last == null ? "has not answered yet"
          : "did not answer; last answer " + (nowMs - last) + " ms ago (grace " + noAnswerGraceMs + " ms)";
    };
    Boolean previous = verdicts.put(routerId, healthy);
    return new Verdict(healthy, previous == null || previous != healthy, reason);
  }
}
