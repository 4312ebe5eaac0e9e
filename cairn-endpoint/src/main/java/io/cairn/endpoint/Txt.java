package io.cairn.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code key=value key=value} inside TXT records; the last key may be {@code reason=} with spaces. */
final class Txt {
  private Txt() {}

  static Map<String, String> parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    int reason = text.indexOf("reason=");
    String head = reason < 0 ? text : text.substring(0, reason);
    for (String part : head.trim().split("\\s+")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(part.substring(0, eq), part.substring(eq + 1));
      } else if (!part.isEmpty()) {
        out.put(part, "");
      }
    }
    if (reason >= 0) {
      out.put("reason", text.substring(reason + "reason=".length()));
    }
    return out;
  }
}
