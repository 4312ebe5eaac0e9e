package io.cairn.endpoint.tools;

import io.cairn.endpoint.DecisionLog;
import io.cairn.endpoint.EndpointNames;
import io.cairn.endpoint.dns.DnsProvider;
import io.cairn.endpoint.plan.PlanVersion;
import io.cairn.endpoint.rfc2136.Rfc2136Provider;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.ZoneTransferException;

/**
 * {@code cairn endpoint show | freeze REASON | unfreeze | rollback VERSION | set-weights ID=W...}:
 * the operator's tools, acting on DNS directly over TSIG-signed RFC 2136 with no enactor running.
 *
 * <pre>
 * options: --server HOST:PORT (127.0.0.1:8053)  --tsig ALG:NAME:SECRET (or $CAIRN_DNS_TSIG)
 *          --zone cairn.internal  --region local  --service dynamodb  --operator NAME ($USER)
 * </pre>
 */
public final class EndpointTool {
  public static final int EXIT_OK = 0;
  public static final int EXIT_REFUSED = 1;
  public static final int EXIT_USAGE = 2;

  private EndpointTool() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.getenv()));
  }

  static final String USAGE = """
      usage: cairn endpoint [options] show | freeze REASON... | unfreeze | rollback VERSION
                                       | set-weights ID=WEIGHT...
      options: --server HOST:PORT  --tsig ALG:NAME:SECRET  --zone ZONE  --region REGION
               --service NAME  --operator NAME""";

  /** Parses arguments and runs one command; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("server", "127.0.0.1:8053");
    opts.put("zone", "cairn.internal");
    opts.put("region", "local");
    opts.put("service", "dynamodb");
    opts.put("operator", env.getOrDefault("USER", "operator"));
    if (env.containsKey("CAIRN_DNS_TSIG")) {
      opts.put("tsig", env.get("CAIRN_DNS_TSIG"));
    }
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--") && i + 1 < args.length) {
        opts.put(args[i].substring(2), args[++i]);
      } else {
        rest.add(args[i]);
      }
    }
    if (rest.isEmpty() || !opts.containsKey("tsig")) {
      err.println(USAGE);
      return EXIT_USAGE;
    }
    String server = opts.get("server");
    InetSocketAddress address = hostPort(server);
    if (address == null) {
      err.println("cairn endpoint: --server must be HOST:PORT, got '" + server + "'");
      return EXIT_USAGE;
    }
    TSIG key;
    try {
      key = Rfc2136Provider.tsig(opts.get("tsig"));
    } catch (IllegalArgumentException e) {
      err.println("cairn endpoint: the TSIG key (--tsig or $CAIRN_DNS_TSIG) must be ALGORITHM:NAME:BASE64SECRET: "
          + e.getMessage());
      return EXIT_USAGE;
    }
    DnsProvider dns = new Rfc2136Provider(opts.get("zone"), address, key);
    EndpointNames names = new EndpointNames(opts.get("service"), opts.get("region"), opts.get("zone"));
    OperatorCommands cmd = new OperatorCommands(dns, names, opts.get("operator"),
        DecisionLog.slf4j(names.endpoint()));
    try {
      return execute(cmd, rest, out, err);
    } catch (IllegalStateException e) {
      if (!(e.getCause() instanceof IOException || e.getCause() instanceof ZoneTransferException)) {
        throw e;
      }
      // Every command starts by reading the zone; when that read fails, nothing was changed. The
      // operator needs to know what was tried and where to look, not a stack trace.
      err.println("cairn endpoint: could not read zone " + names.zone() + " from the DNS server at " + server
          + " (" + describe(e.getCause()) + "); nothing changed. Check that the endpoint manager is running"
          + " (cairn cluster status), that --server names its DNS port, and that the TSIG key is the one"
          + " it was started with");
      return EXIT_REFUSED;
    }
  }

  /** {@code host:port}, or null when it is not one. */
  static InetSocketAddress hostPort(String s) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      return null;
    }
    try {
      int port = Integer.parseInt(s.substring(colon + 1));
      return port < 1 || port > 65_535 ? null : new InetSocketAddress(s.substring(0, colon), port);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String describe(Throwable t) {
    String what = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    return t instanceof java.net.SocketTimeoutException ? "no answer within " + Rfc2136Provider.TIMEOUT.toSeconds()
        + " s: " + what : what;
  }

  /** Runs one command against any provider; separate from {@link #run} so tests can use it. */
  public static int execute(OperatorCommands cmd, List<String> rest, PrintStream out, PrintStream err) {
    List<String> params = rest.subList(1, rest.size());
    OperatorCommands.Outcome o;
    switch (rest.getFirst()) {
      case "show" -> {
        out.print(cmd.show());
        return EXIT_OK;
      }
      case "freeze" -> o = cmd.freeze(params.isEmpty() ? "operator freeze" : String.join(" ", params));
      case "unfreeze" -> o = cmd.unfreeze();
      case "rollback" -> {
        if (params.size() != 1) {
          err.println(USAGE);
          return EXIT_USAGE;
        }
        String v = params.getFirst().replaceFirst("^p0*", "");
        o = cmd.rollback(PlanVersion.of(Long.parseLong(v)));
      }
      case "set-weights" -> {
        Map<String, Integer> w = new LinkedHashMap<>();
        for (String p : params) {
          String[] kv = p.split("=", 2);
          if (kv.length != 2) {
            err.println(USAGE);
            return EXIT_USAGE;
          }
          w.put(kv[0], Integer.parseInt(kv[1]));
        }
        o = cmd.setWeights(w);
      }
      default -> {
        err.println(USAGE);
        return EXIT_USAGE;
      }
    }
    (o.ok() ? out : err).println(o.message());
    return o.ok() ? EXIT_OK : EXIT_REFUSED;
  }
}
