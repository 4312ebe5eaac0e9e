package io.cairn.endpoint;

import io.cairn.endpoint.dns.EndpointResolver;
import io.cairn.endpoint.plan.Plan;
import io.cairn.endpoint.plan.PlanVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Alarms on state, not on events: a failed batch is normal (compare-and-set losers), so it never
 * pages anyone. What pages is the endpoint resolving to nothing, the active plan falling behind, or
 * a freeze. Each alarm names the cause an operator should look at first.
 */
public final class Alarms {
  public static final int PLANS_BEHIND_MAX = 3;

  private Alarms() {}

  /** One alarm: a stable name and a sentence for the pager. */
  public record Alarm(String name, String message) {}

  public static List<Alarm> evaluate(EndpointState s, Optional<Plan> newest) {
    List<Alarm> out = new ArrayList<>();
    EndpointNames n = s.names();
    if (EndpointResolver.resolve(s.zone(), n.endpoint()).isEmpty()) {
      String cause = s.root().isEmpty() ? "there is no root alias"
          : "the root points at " + s.root().get().value()
              + (s.zone().nameExists(s.root().get().value()) ? " which has no addresses" : " which does not exist");
      out.add(new Alarm("EndpointResolvesToNothing",
          n.endpoint() + " resolves to zero addresses: " + cause + ". Run 'cairn endpoint show'."));
    }
    PlanVersion active = s.activeVersion();
    if (newest.isPresent() && active != null
        && newest.get().version().value() - active.value() > PLANS_BEHIND_MAX) {
      out.add(new Alarm("ActivePlanBehind", n.endpoint() + " serves " + active + " but the newest plan is "
          + newest.get().version() + " (" + (newest.get().version().value() - active.value())
          + " behind): enactors are stuck or frozen."));
    }
    if (s.frozen()) {
      out.add(new Alarm("EndpointFrozen", n.endpoint() + " is frozen: " + s.freezeRecord().get().value()));
    }
    return out;
  }
}
