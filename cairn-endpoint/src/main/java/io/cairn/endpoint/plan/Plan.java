package io.cairn.endpoint.plan;

import io.cairn.core.Invariants;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * An immutable plan: the targets the endpoint should resolve to, a version and a content hash. The
 * hash covers the targets only, so two plans with the same content have the same hash and the
 * planner can tell that nothing changed.
 */
public record Plan(PlanVersion version, String hash, List<Target> targets) {
  public static final int TARGETS_MAX = 200;

  public Plan {
    targets = targets.stream().sorted(Comparator.comparing(Target::id)).toList();
    Invariants.check(!targets.isEmpty(), "plan %s has no targets", version);
    Invariants.check(targets.size() <= TARGETS_MAX, "plan %s has %d targets", version, targets.size());
    Invariants.check(
        targets.stream().anyMatch(t -> t.weight() > 0), "plan %s has no target with weight", version);
    Invariants.check(
        targets.stream().map(Target::id).distinct().count() == targets.size(),
        "plan %s has duplicate target ids",
        version);
    Invariants.check(hash.equals(hashOf(targets)), "plan %s hash mismatch", version);
  }

  public static Plan of(PlanVersion version, List<Target> targets) {
    List<Target> sorted = targets.stream().sorted(Comparator.comparing(Target::id)).toList();
    return new Plan(version, hashOf(sorted), sorted);
  }

  /** First 16 hex digits of SHA-256 over a canonical text form of the targets. */
  public static String hashOf(List<Target> targets) {
    StringBuilder sb = new StringBuilder();
    targets.stream()
        .sorted(Comparator.comparing(Target::id))
        .forEach(t -> sb.append(t.id()).append('|').append(t.az()).append('|')
            .append(String.join(",", t.addresses())).append('|').append(t.weight()).append('\n'));
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
