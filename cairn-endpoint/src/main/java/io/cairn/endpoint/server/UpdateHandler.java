package io.cairn.endpoint.server;

import io.cairn.endpoint.dns.BatchResult;
import io.cairn.endpoint.dns.ChangeBatch;
import io.cairn.endpoint.dns.DnsNames;
import io.cairn.endpoint.dns.DnsProvider;
import io.cairn.endpoint.dns.DnsRecord;
import io.cairn.endpoint.dns.RecordKey;
import io.cairn.endpoint.dns.ZoneSnapshot;
import io.cairn.endpoint.rfc2136.Rfc2136Codec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * Lets Cairn's own DNS server take TSIG-signed RFC 2136 updates and zone transfers, so the operator
 * tools and the RFC 2136 provider work against it exactly as against BIND. An update is evaluated
 * on the zone's plain-DNS view (see {@link Rfc2136Codec}), and the difference is applied to the
 * zone as one change batch whose DELETEs match the records read, so a concurrent change makes it
 * fail and it is evaluated again.
 */
public final class UpdateHandler {
  public static final int APPLY_ATTEMPTS_MAX = 5;
  /** Records per AXFR message: with {@code RECORD_WIRE_BYTES_MAX} each, under TCP's 64 KB. */
  public static final int AXFR_RECORDS_PER_MESSAGE_MAX = 100;

  private final DnsProvider zone;
  private final TSIG key;
  private final Rfc2136Codec codec;

  /** {@code key} null means updates and transfers are refused. */
  public UpdateHandler(DnsProvider zone, TSIG key) {
    this.zone = zone;
    this.key = key;
    this.codec = new Rfc2136Codec(zone.zone());
  }

  /** An owner and wire type: one RRset. */
  private record SetKey(Name owner, int type) {}

  boolean handles(Message query) {
    int op = query.getHeader().getOpcode();
    Record q = query.getQuestion();
    return op == Opcode.UPDATE || (q != null && (q.getType() == Type.AXFR || q.getType() == Type.IXFR));
  }

  /**
   * Answers an UPDATE (one message) or an AXFR (one or more messages, TSIG-signed as a stream, so a
   * zone of any size fits TCP's 64 KB message limit). {@code wire} is the query as received, for
   * TSIG verification.
   */
  List<Message> handle(Message query, byte[] wire) {
    Message response = header(query);
    Record q = query.getQuestion();
    TSIGRecord signed = query.getTSIG();
    if (key == null || signed == null || key.verify(query, wire, null) != Rcode.NOERROR) {
      response.getHeader().setRcode(Rcode.NOTAUTH);
      return List.of(response);
    }
    if (q == null || !DnsNames.normalize(q.getName().toString()).equals(zone.zone())) {
      response.getHeader().setRcode(Rcode.NOTZONE);
    } else if (query.getHeader().getOpcode() == Opcode.UPDATE) {
      response.getHeader().setRcode(update(query));
    } else {
      return transfer(query, q, signed);
    }
    key.apply(response, signed);
    return List.of(response);
  }

  private static Message header(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setOpcode(query.getHeader().getOpcode());
    if (query.getQuestion() != null) {
      response.addRecord(query.getQuestion(), Section.QUESTION);
    }
    return response;
  }

  private List<Message> transfer(Message query, Record q, TSIGRecord signed) {
    ZoneSnapshot s = zone.snapshot();
    List<Record> all = new ArrayList<>();
    try {
      SOARecord soa = new SOARecord(q.getName(), DClass.IN, Answerer.NEGATIVE_TTL_SECONDS,
          Name.fromString("ns." + zone.zone() + "."), Name.fromString("hostmaster." + zone.zone() + "."),
          s.serial() & 0xffffffffL, 60, 30, 600, Answerer.NEGATIVE_TTL_SECONDS);
      all.add(soa);
      for (DnsRecord r : s.records()) {
        all.addAll(codec.encode(r, r.ttlSeconds()));
      }
      all.add(soa);
    } catch (IOException e) {
      Message failed = header(query);
      failed.getHeader().setRcode(Rcode.SERVFAIL);
      key.apply(failed, signed);
      return List.of(failed);
    }
    List<Message> out = new ArrayList<>();
    TSIGRecord previous = signed;
    for (int from = 0; from < all.size(); from += AXFR_RECORDS_PER_MESSAGE_MAX) {
      Message m = header(query);
      m.getHeader().setFlag(Flags.AA);
      for (Record r : all.subList(from, Math.min(all.size(), from + AXFR_RECORDS_PER_MESSAGE_MAX))) {
        m.addRecord(r, Section.ANSWER);
      }
      key.apply(m, previous, out.isEmpty());
      previous = m.getTSIG();
      out.add(m);
    }
    return out;
  }

  private Map<SetKey, Set<Record>> wireView(ZoneSnapshot s) throws IOException {
    Map<SetKey, Set<Record>> view = new HashMap<>();
    for (DnsRecord r : s.records()) {
      for (Record rr : codec.encode(r, r.ttlSeconds())) {
        view.computeIfAbsent(new SetKey(rr.getName(), rr.getType()), k -> new LinkedHashSet<>()).add(rr);
      }
    }
    return view;
  }

  private static Set<String> rdata(Set<Record> set) {
    Set<String> out = new java.util.TreeSet<>();
    if (set != null) {
      set.forEach(r -> out.add(r.rdataToString()));
    }
    return out;
  }

  private int update(Message m) {
    for (int attempt = 0; attempt < APPLY_ATTEMPTS_MAX; attempt++) {
      try {
        ZoneSnapshot s = zone.snapshot();
        Map<SetKey, Set<Record>> view = wireView(s);
        int rcode = prerequisites(m.getSection(Section.PREREQ), view);
        if (rcode != Rcode.NOERROR) {
          return rcode;
        }
        for (Record u : m.getSection(Section.UPDATE)) {
          SetKey k = new SetKey(u.getName(), u.getType());
          if (!DnsNames.isInZone(u.getName().toString(), zone.zone())) {
            return Rcode.NOTZONE;
          }
          if (u.getDClass() == DClass.ANY) {
            if (u.getType() == Type.ANY) {
              view.keySet().removeIf(x -> x.owner().equals(u.getName()));
            } else {
              view.remove(k);
            }
          } else if (u.getDClass() == DClass.NONE) {
            Set<Record> set = view.get(k);
            if (set != null) {
              set.removeIf(r -> r.rdataToString().equals(u.rdataToString()));
            }
          } else {
            Set<Record> set = view.computeIfAbsent(k, x -> new LinkedHashSet<>());
            set.removeIf(r -> r.rdataToString().equals(u.rdataToString()));
            set.add(u);
          }
        }
        List<Record> all = new ArrayList<>();
        view.values().forEach(all::addAll);
        ZoneSnapshot next;
        try {
          next = codec.decode(all);
        } catch (RuntimeException e) {
          return Rcode.FORMERR;
        }
        ChangeBatch.Builder b = ChangeBatch.builder("rfc2136 update");
        for (DnsRecord r : s.records()) {
          if (!Objects.equals(next.get(r.key()).orElse(null), r)) {
            b.delete(r);
          }
        }
        for (DnsRecord r : next.records()) {
          RecordKey key = r.key();
          if (!Objects.equals(s.get(key).orElse(null), r)) {
            b.create(r);
          }
        }
        if (b.isEmpty()) {
          return Rcode.NOERROR;
        }
        BatchResult result = zone.apply(b.build());
        if (result.applied()) {
          return Rcode.NOERROR;
        }
        if (result instanceof BatchResult.Rejected rej && rej.reason() == BatchResult.Reason.INVALID) {
          return Rcode.REFUSED;
        }
        // Someone else changed the zone between our read and our write: evaluate again.
      } catch (IOException e) {
        return Rcode.SERVFAIL;
      }
    }
    return Rcode.SERVFAIL;
  }

  private static int prerequisites(List<Record> prereqs, Map<SetKey, Set<Record>> view) {
    Map<SetKey, Set<String>> valueDependent = new HashMap<>();
    for (Record p : prereqs) {
      SetKey k = new SetKey(p.getName(), p.getType());
      boolean nameInUse = view.keySet().stream().anyMatch(x -> x.owner().equals(p.getName()));
      if (p.getDClass() == DClass.ANY) {
        if (p.getType() == Type.ANY ? !nameInUse : !view.containsKey(k) || view.get(k).isEmpty()) {
          return p.getType() == Type.ANY ? Rcode.NXDOMAIN : Rcode.NXRRSET;
        }
      } else if (p.getDClass() == DClass.NONE) {
        if (p.getType() == Type.ANY ? nameInUse : view.containsKey(k) && !view.get(k).isEmpty()) {
          return p.getType() == Type.ANY ? Rcode.YXDOMAIN : Rcode.YXRRSET;
        }
      } else {
        valueDependent.computeIfAbsent(k, x -> new java.util.TreeSet<>()).add(p.rdataToString());
      }
    }
    for (Map.Entry<SetKey, Set<String>> e : valueDependent.entrySet()) {
      if (!rdata(view.get(e.getKey())).equals(e.getValue())) {
        return Rcode.NXRRSET;
      }
    }
    return Rcode.NOERROR;
  }
}
