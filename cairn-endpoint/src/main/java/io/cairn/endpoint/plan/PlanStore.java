package io.cairn.endpoint.plan;

import java.util.List;
import java.util.Optional;

/**
 * Where the planner publishes plans and enactors read them. Plans are immutable once published and
 * versions only grow; the store refuses anything else.
 */
public interface PlanStore {
  void publish(Plan plan);

  Optional<Plan> newest();

  Optional<Plan> get(PlanVersion version);

  List<PlanVersion> versions();
}
