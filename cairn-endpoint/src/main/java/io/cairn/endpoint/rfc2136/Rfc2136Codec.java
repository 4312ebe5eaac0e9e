package io.cairn.endpoint.rfc2136;

import io.cairn.endpoint.dns.DnsNames;
import io.cairn.endpoint.dns.DnsRecord;
import io.cairn.endpoint.dns.RecordKey;
import io.cairn.endpoint.dns.RecordType;
import io.cairn.endpoint.dns.ZoneSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * How Cairn's records look in plain DNS, shared by the RFC 2136 client and by Cairn's own server
 * when it accepts updates: unweighted A and TXT are themselves, an unweighted alias is a CNAME, and
 * a weighted record is one TXT record {@code cairn type=ALIAS weight=8 ttl=5 value=...} at
 * {@code <set-id>._w.<name>}.
 */
public final class Rfc2136Codec {
  public static final String WEIGHTED_LABEL = "_w";

  private final String zone;

  public Rfc2136Codec(String zone) {
    this.zone = DnsNames.normalize(zone);
  }

  public Name owner(RecordKey key) throws TextParseException {
    String n = key.setId() == null ? key.name() : key.setId() + "." + WEIGHTED_LABEL + "." + key.name();
    return Name.fromString(n + ".");
  }

  public static int wireType(RecordKey key) {
    if (key.setId() != null) {
      return Type.TXT;
    }
    return switch (key.type()) {
      case A -> Type.A;
      case TXT -> Type.TXT;
      case ALIAS -> Type.CNAME;
    };
  }

  public List<Record> encode(DnsRecord r, long ttl) throws IOException {
    Name owner = owner(r.key());
    List<Record> out = new ArrayList<>();
    if (r.key().setId() != null) {
      out.add(new TXTRecord(owner, DClass.IN, ttl, "cairn type=" + r.type()
          + " weight=" + r.weight() + " ttl=" + r.ttlSeconds() + " value=" + String.join(",", r.values())));
      return out;
    }
    switch (r.type()) {
      case A -> {
        for (String v : r.values()) {
          out.add(new ARecord(owner, DClass.IN, ttl, InetAddress.getByName(v)));
        }
      }
      case TXT -> {
        for (String v : r.values()) {
          out.add(new TXTRecord(owner, DClass.IN, ttl, v));
        }
      }
      case ALIAS -> out.add(new CNAMERecord(owner, DClass.IN, ttl,
          Name.fromString(r.value() + ".")));
    }
    return out;
  }

  public ZoneSnapshot decode(List<Record> rrs) {
    long serial = 0;
    Map<String, List<Record>> sets = new TreeMap<>();
    for (Record rr : rrs) {
      String name = DnsNames.normalize(rr.getName().toString());
      if (rr instanceof SOARecord soa) {
        serial = soa.getSerial();
        continue;
      }
      if (name.equals(zone) && rr.getType() == Type.NS) {
        continue;
      }
      sets.computeIfAbsent(name + "|" + rr.getType(), k -> new ArrayList<>()).add(rr);
    }
    List<DnsRecord> out = new ArrayList<>();
    String marker = "." + WEIGHTED_LABEL + ".";
    for (List<Record> set : sets.values()) {
      Record first = set.getFirst();
      String name = DnsNames.normalize(first.getName().toString());
      int ttl = (int) first.getTTL();
      int m = name.indexOf(marker);
      if (m > 0 && first instanceof TXTRecord txt) {
        String text = String.join("", txt.getStrings());
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : text.split(" ")) {
          int eq = part.indexOf('=');
          if (eq > 0) {
            kv.put(part.substring(0, eq), part.substring(eq + 1));
          }
        }
        String setId = name.substring(0, m);
        String base = name.substring(m + marker.length());
        out.add(new DnsRecord(new RecordKey(base, RecordType.valueOf(kv.get("type")), setId),
            Integer.parseInt(kv.get("ttl")), Integer.parseInt(kv.get("weight")),
            List.of(kv.get("value").split(","))));
        continue;
      }
      List<String> values = new ArrayList<>();
      RecordType type;
      if (first instanceof ARecord) {
        type = RecordType.A;
        set.forEach(r -> values.add(((ARecord) r).getAddress().getHostAddress()));
      } else if (first instanceof TXTRecord) {
        type = RecordType.TXT;
        set.forEach(r -> values.add(String.join("", ((TXTRecord) r).getStrings())));
      } else if (first instanceof CNAMERecord c) {
        type = RecordType.ALIAS;
        values.add(DnsNames.normalize(c.getTarget().toString()));
      } else {
        continue;
      }
      out.add(new DnsRecord(new RecordKey(name, type, null), ttl, null, values));
    }
    return ZoneSnapshot.of(zone, serial, out);
  }
}
