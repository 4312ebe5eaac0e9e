package io.cairn.endpoint.plan;

import io.cairn.core.Invariants;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One load balancer (router) in a plan: a readable id such as {@code lb-az1-007}, its AZ, its
 * addresses and its weight.
 */
public record Target(String id, String az, List<String> addresses, int weight) {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}");

  public Target {
    addresses = List.copyOf(addresses);
    Invariants.check(ID.matcher(id).matches(), "target id %s is not a DNS label", id);
    Invariants.check(!addresses.isEmpty(), "target %s has no addresses", id);
    Invariants.check(weight >= 0 && weight <= 255, "target %s weight %d", id, weight);
  }

  public static String idFor(String az, int index) {
    return String.format("lb-%s-%03d", az, index);
  }
}
