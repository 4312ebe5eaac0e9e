package io.cairn.endpoint.client;

import java.net.InetAddress;
import java.security.Security;
import java.util.Map;
import java.util.TreeMap;

/**
 * Run in a child JVM that registers {@link CairnDnsResolverProvider}: resolves the endpoint with
 * plain {@code InetAddress} (as any client library does) N times and prints how often each address
 * came first, then prints the loopback name to show other names still resolve.
 */
public final class ResolverProbe {
  private ResolverProbe() {}

  public static void main(String[] args) throws Exception {
    Security.setProperty("networkaddress.cache.ttl", "0");
    int n = Integer.parseInt(args[1]);
    Map<String, Integer> first = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      InetAddress[] all = InetAddress.getAllByName(args[0]);
      first.merge(all[0].getHostAddress(), 1, Integer::sum);
    }
    first.forEach((a, c) -> System.out.println("first " + a + " " + c));
    System.out.println("localhost " + InetAddress.getByName("localhost").getHostAddress());
  }
}
