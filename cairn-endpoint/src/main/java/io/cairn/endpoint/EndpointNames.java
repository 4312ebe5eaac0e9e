package io.cairn.endpoint;

import io.cairn.endpoint.dns.DnsNames;
import io.cairn.endpoint.plan.PlanVersion;
import java.util.Optional;

/**
 * The names of the DNS tree, chosen so a tired operator can read them:
 *
 * <pre>
 * dynamodb.local.cairn.internal                    ALIAS  -> p000145.dynamodb.local.cairn.internal
 * p000145.dynamodb.local.cairn.internal            ALIAS  [lb-az1-007] w=8 -> lb-az1-007.p000145...
 * lb-az1-007.p000145.dynamodb.local.cairn.internal A      127.0.1.7
 * _active.dynamodb.local.cairn.internal            TXT    "version=145 hash=..."
 * _lock.dynamodb.local.cairn.internal              TXT    "holder=az2 fence=17 expires_ms=..."
 * _freeze.dynamodb.local.cairn.internal            TXT    "frozen by=operator reason=..."
 * </pre>
 */
public record EndpointNames(String service, String region, String zone) {
  public EndpointNames {
    zone = DnsNames.normalize(zone);
  }

  public static EndpointNames defaults() {
    return new EndpointNames("dynamodb", "local", "cairn.internal");
  }

  /** The name clients resolve, e.g. {@code dynamodb.local.cairn.internal}. */
  public String endpoint() {
    return service + "." + region + "." + zone;
  }

  public String planNode(PlanVersion v) {
    return v.label() + "." + endpoint();
  }

  public String leaf(String targetId, PlanVersion v) {
    return targetId + "." + planNode(v);
  }

  public String active() {
    return "_active." + endpoint();
  }

  public String lock() {
    return "_lock." + endpoint();
  }

  public String freeze() {
    return "_freeze." + endpoint();
  }

  /**
   * The plan version a record name belongs to: the plan node itself or any name below it. Empty for
   * the root and the control records.
   */
  public Optional<PlanVersion> planOf(String name) {
    String n = DnsNames.normalize(name);
    String suffix = "." + endpoint();
    if (!n.endsWith(suffix)) {
      return Optional.empty();
    }
    String rest = n.substring(0, n.length() - suffix.length());
    int dot = rest.lastIndexOf('.');
    String label = dot < 0 ? rest : rest.substring(dot + 1);
    if (label.length() != 7 || label.charAt(0) != 'p') {
      return Optional.empty();
    }
    long v = 0;
    for (int i = 1; i < 7; i++) {
      char c = label.charAt(i);
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
      v = v * 10 + (c - '0');
    }
    return v == 0 ? Optional.empty() : Optional.of(PlanVersion.of(v));
  }
}
