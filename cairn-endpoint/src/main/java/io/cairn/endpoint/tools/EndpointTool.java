package io.cairn.endpoint.tools;

import io.cairn.endpoint.DecisionLog;
import io.cairn.endpoint.EndpointNames;
import io.cairn.endpoint.dns.DnsProvider;
import io.cairn.endpoint.plan.PlanVersion;
import io.cairn.endpoint.rfc2136.Rfc2136Provider;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    String[] hp = opts.get("server").split(":");
    DnsProvider dns = new Rfc2136Provider(opts.get("zone"),
        new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), Rfc2136Provider.tsig(opts.get("tsig")));
    EndpointNames names = new EndpointNames(opts.get("service"), opts.get("region"), opts.get("zone"));
    OperatorCommands cmd = new OperatorCommands(dns, names, opts.get("operator"),
        DecisionLog.slf4j(names.endpoint()));
    return execute(cmd, rest, out, err);
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
