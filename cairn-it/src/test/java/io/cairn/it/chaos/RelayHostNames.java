package io.cairn.it.chaos;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The test JVM's resolver for {@link RelayNetwork}'s host names (JEP 418, registered in this
 * module's test resources): a name a running relay network registered resolves to the node's own
 * address (as the routers and the test reach it); every other name goes to the built-in resolver,
 * untouched. The cluster's processes load this provider too (they run with this JVM's class
 * path) but have nothing registered: they resolve the same names through the built-in resolver,
 * which reads the hosts file each was given ({@code -Djdk.net.hosts.file}).
 */
public final class RelayHostNames extends InetAddressResolverProvider {
  static final String DOMAIN = "cairn-relay.test";
  private static final Map<String, InetAddress> NAMES = new ConcurrentHashMap<>();

  static void register(String name, InetAddress address) {
    if (!name.endsWith("." + DOMAIN)) {
      throw new IllegalArgumentException(name + " is not under " + DOMAIN);
    }
    NAMES.put(name, address);
  }

  static void unregister(String name) {
    NAMES.remove(name);
  }

  @Override
  public InetAddressResolver get(Configuration configuration) {
    InetAddressResolver builtin = configuration.builtinResolver();
    return new InetAddressResolver() {
      @Override
      public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
        InetAddress address = NAMES.get(host);
        if (address == null || (policy.characteristics() & LookupPolicy.IPV4) == 0) {
          // Not ours, or asked in a cluster process (whose hosts file the built-in resolver reads).
          return builtin.lookupByName(host, policy);
        }
        return Stream.of(address);
      }

      @Override
      public String lookupByAddress(byte[] address) throws UnknownHostException {
        return builtin.lookupByAddress(address);
      }
    };
  }

  @Override
  public String name() {
    return "cairn-relay-names";
  }
}
