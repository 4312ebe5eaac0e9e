package io.cairn.endpoint.server;

import io.cairn.endpoint.dns.DnsNames;
import io.cairn.endpoint.dns.DnsRecord;
import io.cairn.endpoint.dns.RecordType;
import io.cairn.endpoint.dns.ZoneSnapshot;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Answers one DNS query from a zone snapshot. Pure: query, snapshot and randomness in, response out.
 * Aliases are followed inside the server; at a weighted node every target with weight is returned,
 * ordered by a weighted random shuffle, so a client that uses the first address spreads its traffic
 * by the plan's weights and {@code dig} still lists every router.
 */
public final class Answerer {
  /** The SOA minimum, which resolvers use as the negative-caching TTL. 2025 showed why it is short. */
  public static final long NEGATIVE_TTL_SECONDS = 10;
  public static final int ALIAS_DEPTH_MAX = 8;
  public static final int ANSWERS_MAX = 32;

  private final RandomGenerator random;

  public Answerer(RandomGenerator random) {
    this.random = random;
  }

  /** A resolved address and the smallest TTL on the way to it. */
  record Leaf(String address, double weight, long ttlSeconds) {}

  public Message answer(Message query, ZoneSnapshot zone) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    if (query.getHeader().getFlag(Flags.RD)) {
      response.getHeader().setFlag(Flags.RD);
    }
    Record question = query.getQuestion();
    if (question == null) {
      response.getHeader().setRcode(Rcode.FORMERR);
      return response;
    }
    response.addRecord(question, Section.QUESTION);
    Name qname = question.getName();
    String name = DnsNames.normalize(qname.toString());
    if (!DnsNames.isInZone(name, zone.zone())) {
      response.getHeader().setRcode(Rcode.REFUSED);
      return response;
    }
    response.getHeader().setFlag(Flags.AA);
    try {
      Name apex = Name.fromString(zone.zone() + ".");
      int type = question.getType();
      List<Record> answers = new ArrayList<>();
      if (name.equals(zone.zone()) && (type == Type.SOA || type == Type.ANY)) {
        answers.add(soa(apex, zone.serial()));
      }
      if (name.equals(zone.zone()) && (type == Type.NS || type == Type.ANY)) {
        answers.add(new NSRecord(apex, DClass.IN, 60, Name.fromString("ns." + zone.zone() + ".")));
      }
      if (type == Type.A || type == Type.ANY) {
        for (Leaf leaf : addresses(zone, name)) {
          answers.add(new ARecord(qname, DClass.IN, leaf.ttlSeconds(),
              InetAddress.getByName(leaf.address())));
        }
      }
      if (type == Type.TXT || type == Type.ANY) {
        for (DnsRecord r : zone.at(name, RecordType.TXT)) {
          answers.add(new TXTRecord(qname, DClass.IN, r.ttlSeconds(), r.values()));
        }
      }
      for (Record r : answers) {
        response.addRecord(r, Section.ANSWER);
      }
      if (answers.isEmpty()) {
        boolean exists = zone.nameExists(name) || name.equals(zone.zone()) || hasDescendant(zone, name);
        if (!exists) {
          response.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        response.addRecord(soa(apex, zone.serial()), Section.AUTHORITY);
      }
    } catch (TextParseException | UnknownHostException e) {
      response.getHeader().setRcode(Rcode.SERVFAIL);
    }
    return response;
  }

  private static boolean hasDescendant(ZoneSnapshot zone, String name) {
    String suffix = "." + name;
    return zone.records().stream().anyMatch(r -> r.name().endsWith(suffix));
  }

  private static SOARecord soa(Name apex, long serial) throws TextParseException {
    return new SOARecord(apex, DClass.IN, NEGATIVE_TTL_SECONDS,
        Name.fromString("ns." + apex), Name.fromString("hostmaster." + apex),
        serial & 0xffffffffL, 60, 30, 600, NEGATIVE_TTL_SECONDS);
  }

  /** Follows aliases and returns the addresses, weighted-shuffled, at most ANSWERS_MAX. */
  List<Leaf> addresses(ZoneSnapshot zone, String name) {
    List<Leaf> leaves = new ArrayList<>();
    walk(zone, name, 1.0, Long.MAX_VALUE, 0, leaves);
    boolean anyWeight = leaves.stream().anyMatch(l -> l.weight() > 0);
    record Keyed(Leaf leaf, double key) {}
    List<Keyed> keyed = new ArrayList<>();
    for (Leaf l : leaves) {
      double w = anyWeight ? l.weight() : 1.0;
      if (w <= 0) {
        continue;
      }
      // Efraimidis-Spirakis: sorting by u^(1/w) descending is a weighted random permutation.
      keyed.add(new Keyed(l, Math.pow(random.nextDouble(), 1.0 / w)));
    }
    keyed.sort(Comparator.comparingDouble(Keyed::key).reversed());
    List<Leaf> out = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (Keyed k : keyed) {
      if (out.size() < ANSWERS_MAX && !seen.contains(k.leaf().address())) {
        seen.add(k.leaf().address());
        out.add(k.leaf());
      }
    }
    return out;
  }

  private static void walk(ZoneSnapshot zone, String name, double weight, long ttl, int depth,
      List<Leaf> out) {
    if (depth > ALIAS_DEPTH_MAX) {
      return;
    }
    for (DnsRecord r : zone.at(name)) {
      double w = r.weight() == null ? weight : weight * r.weight();
      long t = Math.min(ttl, r.ttlSeconds());
      switch (r.type()) {
        case A -> {
          for (String v : r.values()) {
            out.add(new Leaf(v, w / r.values().size(), t));
          }
        }
        case ALIAS -> walk(zone, r.value(), w, t, depth + 1, out);
        case TXT -> {}
      }
    }
  }
}
