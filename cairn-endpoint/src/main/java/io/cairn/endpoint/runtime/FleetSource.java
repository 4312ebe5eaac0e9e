package io.cairn.endpoint.runtime;

import io.cairn.endpoint.plan.RouterStatus;
import java.io.IOException;
import java.util.List;

/** Where the planner learns router health and capacity: the metadata service, or a file. */
public interface FleetSource {
  List<RouterStatus> read() throws IOException;
}
