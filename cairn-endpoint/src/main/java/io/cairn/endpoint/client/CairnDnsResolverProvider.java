package io.cairn.endpoint.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.stream.Stream;

/**
 * A JVM-wide resolver (JEP 418) that sends names in Cairn's zone to Cairn's DNS server and every
 * other name to the platform resolver. Not registered by this jar, on purpose: a process opts in by
 * listing it in {@code META-INF/services/java.net.spi.InetAddressResolverProvider} (the cluster
 * tests do). Configured by system properties {@code cairn.dns.server} (default
 * {@code 127.0.0.1:8053}) and {@code cairn.dns.zone} (default {@code cairn.internal}). Pair it with
 * {@code networkaddress.cache.ttl} at or below the records' TTL so the JVM re-resolves.
 */
public final class CairnDnsResolverProvider extends InetAddressResolverProvider {
  @Override
  public InetAddressResolver get(Configuration configuration) {
    String[] hp = System.getProperty("cairn.dns.server", "127.0.0.1:8053").split(":");
    CairnDnsResolver cairn = new CairnDnsResolver(
        new InetSocketAddress(hp[0], Integer.parseInt(hp[1])),
        System.getProperty("cairn.dns.zone", "cairn.internal"));
    InetAddressResolver builtin = configuration.builtinResolver();
    return new InetAddressResolver() {
      @Override
      public Stream<InetAddress> lookupByName(String host, LookupPolicy policy)
          throws UnknownHostException {
        if (!cairn.covers(host)) {
          return builtin.lookupByName(host, policy);
        }
        if ((policy.characteristics() & LookupPolicy.IPV4) == 0) {
          throw new UnknownHostException(host + ": Cairn's zone has IPv4 addresses only");
        }
        return cairn.lookup(host).stream();
      }

      @Override
      public String lookupByAddress(byte[] addr) throws UnknownHostException {
        return builtin.lookupByAddress(addr);
      }
    };
  }

  @Override
  public String name() {
    return "cairn-dns";
  }
}
