package io.cairn.endpoint.rfc2136;

import io.cairn.endpoint.dns.BatchResult;
import io.cairn.endpoint.dns.Change;
import io.cairn.endpoint.dns.ChangeBatch;
import io.cairn.endpoint.dns.DnsNames;
import io.cairn.endpoint.dns.DnsProvider;
import io.cairn.endpoint.dns.DnsRecord;
import io.cairn.endpoint.dns.RecordKey;
import io.cairn.endpoint.dns.RecordType;
import io.cairn.endpoint.dns.ZoneSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * The second DNS provider: TSIG-signed RFC 2136 dynamic updates to a real primary such as BIND 9.
 * A change batch becomes one UPDATE message whose prerequisites encode the batch's expectations
 * (exact-match DELETE becomes "RRset exists, value dependent"; CREATE becomes "RRset does not
 * exist"), so the server applies all of it or none of it. Reads are TSIG-signed zone transfers.
 *
 * <p>Plain DNS has no weights and no aliases, so they are encoded: an unweighted alias is a CNAME;
 * a weighted record lives at {@code <set-id>._w.<name>} as one TXT record {@code cairn type=ALIAS
 * weight=8 ttl=5 value=<target>}. Prerequisites carry no TTL (RFC 2136 §2.4.2), so for native A,
 * TXT and CNAME records an exact-match DELETE compares values but not TTLs.
 */
public final class Rfc2136Provider implements DnsProvider {
  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final String zone;
  private final Name zoneName;
  private final InetSocketAddress server;
  private final TSIG tsig;
  private final Rfc2136Codec codec;

  public Rfc2136Provider(String zone, InetSocketAddress server, TSIG tsig) {
    this.zone = DnsNames.normalize(zone);
    this.server = server;
    this.tsig = tsig;
    this.codec = new Rfc2136Codec(this.zone);
    try {
      this.zoneName = Name.fromString(this.zone + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException(zone, e);
    }
  }

  /** {@code hmac-sha256:keyname:base64secret}, the form {@code nsupdate -y} takes. */
  public static TSIG tsig(String spec) {
    String[] p = spec.split(":", 3);
    if (p.length != 3) {
      throw new IllegalArgumentException("TSIG key must be algorithm:name:secret");
    }
    return new TSIG(p[0], p[1], p[2]);
  }

  @Override
  public String zone() {
    return zone;
  }

  /** Expected state of one key before the batch, and its state after. */
  private static final class KeyState {
    boolean known;
    DnsRecord expectBefore;
    boolean expectAbsent;
    DnsRecord now;
    boolean touched;
  }

  @Override
  public BatchResult apply(ChangeBatch batch) {
    Map<RecordKey, KeyState> keys = new LinkedHashMap<>();
    List<Change> changes = batch.changes();
    for (int i = 0; i < changes.size(); i++) {
      Change c = changes.get(i);
      DnsRecord r = c.record();
      if (!DnsNames.isInZone(r.name(), zone)
          || (r.type() == RecordType.ALIAS && !DnsNames.isInZone(r.value(), zone))) {
        return new BatchResult.Rejected(BatchResult.Reason.INVALID, i, r + " outside " + zone);
      }
      KeyState s = keys.computeIfAbsent(r.key(), k -> new KeyState());
      switch (c.action()) {
        case CREATE -> {
          if (!s.known) {
            s.known = true;
            s.expectAbsent = true;
          } else if (s.now != null) {
            return new BatchResult.Rejected(BatchResult.Reason.ALREADY_EXISTS, i, c.toString());
          }
          s.now = r;
        }
        case DELETE -> {
          if (!s.known) {
            s.known = true;
            s.expectBefore = r;
          } else if (!r.equals(s.now)) {
            return new BatchResult.Rejected(BatchResult.Reason.NOT_FOUND_OR_DIFFERENT, i, c.toString());
          }
          s.now = null;
        }
        case UPSERT -> {
          s.known = true;
          s.now = r;
        }
      }
      s.touched = true;
    }
    try {
      Update update = new Update(zoneName);
      for (Map.Entry<RecordKey, KeyState> e : keys.entrySet()) {
        KeyState s = e.getValue();
        Name owner = codec.owner(e.getKey());
        int type = Rfc2136Codec.wireType(e.getKey());
        if (s.expectAbsent) {
          update.absent(owner, type);
        } else if (s.expectBefore != null) {
          // Prerequisite records carry TTL 0 (RFC 2136 section 2.4.2).
          for (Record rr : codec.encode(s.expectBefore, 0)) {
            update.present(rr);
          }
        }
      }
      for (Map.Entry<RecordKey, KeyState> e : keys.entrySet()) {
        KeyState s = e.getValue();
        update.delete(codec.owner(e.getKey()), Rfc2136Codec.wireType(e.getKey()));
        if (s.now != null) {
          for (Record rr : codec.encode(s.now, s.now.ttlSeconds())) {
            update.add(rr);
          }
        }
      }
      Message response = resolver().send(update);
      int rcode = response.getRcode();
      return switch (rcode) {
        case Rcode.NOERROR -> new BatchResult.Applied(0);
        case Rcode.NXRRSET -> new BatchResult.Rejected(BatchResult.Reason.NOT_FOUND_OR_DIFFERENT, -1,
            "server said NXRRSET: a record to delete is absent or different");
        case Rcode.YXRRSET -> new BatchResult.Rejected(BatchResult.Reason.ALREADY_EXISTS, -1,
            "server said YXRRSET: a record to create exists");
        default -> new BatchResult.Rejected(BatchResult.Reason.INVALID, -1,
            "server said " + Rcode.string(rcode));
      };
    } catch (IOException e) {
      return new BatchResult.Rejected(BatchResult.Reason.UNAVAILABLE, -1, e.toString());
    }
  }

  private SimpleResolver resolver() {
    SimpleResolver r = new SimpleResolver(server);
    r.setTSIGKey(tsig);
    r.setTimeout(TIMEOUT);
    r.setTCP(true);
    return r;
  }

  @Override
  public ZoneSnapshot snapshot() {
    try {
      ZoneTransferIn xfr = ZoneTransferIn.newAXFR(zoneName, server, tsig);
      xfr.setTimeout(TIMEOUT);
      xfr.run();
      return codec.decode(xfr.getAXFR());
    } catch (IOException | ZoneTransferException e) {
      throw new IllegalStateException("zone transfer of " + zone + " from " + server + " failed", e);
    }
  }

}
