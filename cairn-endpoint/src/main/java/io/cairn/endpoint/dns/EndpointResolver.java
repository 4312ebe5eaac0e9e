package io.cairn.endpoint.dns;

import java.util.ArrayList;
import java.util.List;

/**
 * Follows aliases the way an authoritative server does and returns every address a name can
 * resolve to, with its effective weight. This is the oracle the simulations use: an empty answer is
 * the 2025 outage.
 */
public final class EndpointResolver {
  public static final int ALIAS_DEPTH_MAX = 8;

  private EndpointResolver() {}

  /** One address reachable from the name and the product of weights on the way to it. */
  public record WeightedAddress(String address, long weight, String leafName) {}

  public static List<WeightedAddress> resolve(ZoneSnapshot zone, String name) {
    List<WeightedAddress> out = new ArrayList<>();
    walk(zone, DnsNames.normalize(name), 1, 0, out);
    return out;
  }

  private static void walk(ZoneSnapshot zone, String name, long weight, int depth,
      List<WeightedAddress> out) {
    if (depth > ALIAS_DEPTH_MAX) {
      return;
    }
    for (DnsRecord r : zone.at(name)) {
      long w = r.weight() == null ? weight : weight * r.weight();
      switch (r.type()) {
        case A -> {
          for (String v : r.values()) {
            out.add(new WeightedAddress(v, w, name));
          }
        }
        case ALIAS -> walk(zone, r.value(), w, depth + 1, out);
        case TXT -> {}
      }
    }
  }
}
