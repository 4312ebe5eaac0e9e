package io.cairn.endpoint.dns;

import java.util.Locale;

/** Small helpers for DNS names as plain strings: lower case, no trailing dot. */
public final class DnsNames {
  private DnsNames() {}

  public static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** True when {@code name} equals {@code zone} or lies below it. */
  public static boolean isInZone(String name, String zone) {
    String n = normalize(name);
    String z = normalize(zone);
    return n.equals(z) || n.endsWith("." + z);
  }
}
