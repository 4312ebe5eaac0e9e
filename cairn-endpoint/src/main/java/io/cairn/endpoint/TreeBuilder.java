package io.cairn.endpoint;

import io.cairn.endpoint.dns.DnsRecord;
import io.cairn.endpoint.plan.Plan;
import io.cairn.endpoint.plan.Target;
import java.util.ArrayList;
import java.util.List;

/** The records of one plan's tree: a leaf A record per target and a weighted alias to each. */
public final class TreeBuilder {
  public static final int LEAF_TTL_SECONDS = 30;

  private TreeBuilder() {}

  public static List<DnsRecord> records(EndpointNames names, Plan plan) {
    List<DnsRecord> out = new ArrayList<>();
    for (Target t : plan.targets()) {
      String leaf = names.leaf(t.id(), plan.version());
      out.add(new DnsRecord(new io.cairn.endpoint.dns.RecordKey(leaf, io.cairn.endpoint.dns.RecordType.A, null),
          LEAF_TTL_SECONDS, null, t.addresses()));
    }
    for (Target t : plan.targets()) {
      out.add(DnsRecord.weightedAlias(names.planNode(plan.version()), t.id(), t.weight(),
          names.leaf(t.id(), plan.version())));
    }
    return out;
  }

  /** The root alias pointing at the plan node. */
  public static DnsRecord root(EndpointNames names, Plan plan) {
    return DnsRecord.alias(names.endpoint(), names.planNode(plan.version()));
  }
}
