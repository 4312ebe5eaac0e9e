package io.cairn.endpoint.client;

import io.cairn.endpoint.dns.DnsNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Resolves names in Cairn's zone by asking Cairn's DNS server directly (UDP, TCP when truncated),
 * keeping the server's order: the first address is the weighted choice. Used by
 * {@link CairnDnsResolverProvider} so an unmodified client in a JVM resolves the endpoint through
 * Cairn's DNS.
 */
public final class CairnDnsResolver {
  public static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final InetSocketAddress server;
  private final String zone;

  public CairnDnsResolver(InetSocketAddress server, String zone) {
    this.server = server;
    this.zone = DnsNames.normalize(zone);
  }

  public boolean covers(String host) {
    return DnsNames.isInZone(host, zone);
  }

  public List<InetAddress> lookup(String host) throws UnknownHostException {
    try {
      SimpleResolver r = new SimpleResolver(server);
      r.setTimeout(TIMEOUT);
      Message query = Message.newQuery(
          Record.newRecord(Name.fromString(DnsNames.normalize(host) + "."), Type.A, DClass.IN));
      Message m = r.send(query);
      if (m.getHeader().getFlag(Flags.TC)) {
        r.setTCP(true);
        m = r.send(query);
      }
      List<InetAddress> out = new ArrayList<>();
      if (m.getRcode() == Rcode.NOERROR) {
        for (Record rr : m.getSection(Section.ANSWER)) {
          if (rr instanceof ARecord a) {
            out.add(InetAddress.getByAddress(host, a.getAddress().getAddress()));
          }
        }
      }
      if (out.isEmpty()) {
        throw new UnknownHostException(host + ": " + Rcode.string(m.getRcode()) + " from " + server);
      }
      return out;
    } catch (UnknownHostException e) {
      throw e;
    } catch (IOException e) {
      UnknownHostException u = new UnknownHostException(host + ": " + e.getMessage());
      u.initCause(e);
      throw u;
    }
  }
}
