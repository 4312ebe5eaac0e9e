package io.cairn.endpoint;

import io.cairn.endpoint.plan.PlanVersion;

/**
 * One decision, as logged: who decided, about which endpoint and plan, what it saw as active, the
 * fence it held, what it did and why. Names are the DNS names an operator sees.
 */
public record Decision(
    String component,
    String enactor,
    String endpoint,
    PlanVersion plan,
    PlanVersion activeVersion,
    Long fence,
    String action,
    String result,
    String reason) {

  /** A JSON line, for tests and for tools that print decisions. */
  public String toJson() {
    return "{\"component\":" + q(component) + ",\"enactor\":" + q(enactor) + ",\"endpoint\":"
        + q(endpoint) + ",\"plan\":" + q(plan == null ? null : plan.label()) + ",\"active_version\":"
        + (activeVersion == null ? "null" : activeVersion.value()) + ",\"fence\":"
        + (fence == null ? "null" : fence) + ",\"action\":" + q(action) + ",\"result\":" + q(result)
        + ",\"reason\":" + q(reason) + "}";
  }

  private static String q(String s) {
    if (s == null) {
      return "null";
    }
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
