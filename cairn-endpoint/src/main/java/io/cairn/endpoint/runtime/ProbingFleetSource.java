package io.cairn.endpoint.runtime;

import io.cairn.core.Invariants;
import io.cairn.endpoint.plan.RouterStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet as the routers themselves report it: every planner cycle, each router's health check
 * ({@code GET /}, answered 200 by a live router) is probed, and {@link RouterHealth} turns the
 * results into healthy or not. A local cluster uses it with the topology's routers; a killed router
 * refuses the next probe and leaves the next plan.
 *
 * <p>Probes run in parallel on virtual threads, one short-lived connection each (a pooled
 * connection to a killed router would only show up as a broken connection, which counts as no
 * answer, not as refused). Each step of a probe (connect, then read) waits at most
 * {@code probeTimeoutMs}.
 */
public final class ProbingFleetSource implements FleetSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProbingFleetSource.class);

  public static final int PROBE_TIMEOUT_MS_DEFAULT = 500;
  /** Three planner cycles at the default 1 s: a router silent for longer leaves the endpoint. */
  public static final long NO_ANSWER_GRACE_MS_DEFAULT = 3_000;
  /** The status line is all a probe reads. */
  public static final int STATUS_LINE_BYTES_MAX = 256;
  public static final int ROUTERS_MAX = 200;

  /** A router to probe: its readable id (a DNS label), AZ, address and relative capacity. */
  public record Router(String id, String az, String host, int port, int capacity) {}

  /** Probes one router; the real one speaks HTTP, tests pass their own. */
  @FunctionalInterface
  public interface Prober {
    RouterHealth.Probe probe(Router router);
  }

  private final List<Router> routers;
  private final Prober prober;
  private final LongSupplier clockMs;
  private final RouterHealth health;
  private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();

  public ProbingFleetSource(List<Router> routers, Prober prober, LongSupplier clockMs, long noAnswerGraceMs) {
    this.routers = List.copyOf(routers);
    Invariants.check(this.routers.size() <= ROUTERS_MAX, "%d routers, at most %d", this.routers.size(), ROUTERS_MAX);
    this.prober = prober;
    this.clockMs = clockMs;
    this.health = new RouterHealth(noAnswerGraceMs);
  }

  /** Probes over HTTP with the default timeout and grace. */
  public static ProbingFleetSource http(List<Router> routers, LongSupplier clockMs) {
    return new ProbingFleetSource(routers, r -> probeHttp(r, PROBE_TIMEOUT_MS_DEFAULT), clockMs,
        NO_ANSWER_GRACE_MS_DEFAULT);
  }

  @Override
  public synchronized List<RouterStatus> read() throws IOException {
    List<Future<RouterHealth.Probe>> results = new ArrayList<>();
    for (Router r : routers) {
      results.add(probes.submit(() -> prober.probe(r)));
    }
    List<RouterStatus> fleet = new ArrayList<>();
    for (int i = 0; i < routers.size(); i++) {
      Router r = routers.get(i);
      RouterHealth.Probe probe = await(results.get(i));
      RouterHealth.Verdict v = health.observe(r.id(), probe, clockMs.getAsLong());
      if (v.changed()) {
        (v.healthy() ? LOG.atInfo() : LOG.atWarn()).addKeyValue("component", "fleet").addKeyValue("router", r.id())
            .addKeyValue("address", r.host() + ":" + r.port()).addKeyValue("healthy", v.healthy())
            .addKeyValue("probe", probe.name())
            .log("router {} is {}: {}", r.id(), v.healthy() ? "healthy" : "UNHEALTHY", v.reason());
      }
      fleet.add(new RouterStatus(r.id(), r.az(), r.host(), r.capacity(), v.healthy()));
    }
    return fleet;
  }

  private static RouterHealth.Probe await(Future<RouterHealth.Probe> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while probing routers", e);
    } catch (ExecutionException e) {
      // A prober that throws has a bug; the router is not known to answer, so it counts as silent.
      LOG.warn("router probe failed unexpectedly", e.getCause());
      return RouterHealth.Probe.NO_ANSWER;
    }
  }

  /** One {@code GET /} on a fresh connection; only the status line is read. */
  public static RouterHealth.Probe probeHttp(Router r, int timeoutMs) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(r.host(), r.port()), timeoutMs);
      s.setSoTimeout(timeoutMs);
      OutputStream out = s.getOutputStream();
      out.write(("GET / HTTP/1.1\r\nHost: " + r.host() + ":" + r.port() + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = statusLine(s.getInputStream());
      return status.startsWith("HTTP/1.1 200 ") || status.startsWith("HTTP/1.0 200 ")
          ? RouterHealth.Probe.HEALTHY : RouterHealth.Probe.REFUSED;
    } catch (ConnectException e) {
      return RouterHealth.Probe.REFUSED;
    } catch (IOException e) {
      // A timeout (connect or read) or a broken connection: the router may be alive but slow.
      return RouterHealth.Probe.NO_ANSWER;
    }
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < STATUS_LINE_BYTES_MAX; i++) {
      int b = in.read();
      if (b < 0 || b == '\n') {
        break;
      }
      sb.append((char) b);
    }
    return sb.toString();
  }

  @Override
  public void close() {
    probes.shutdownNow();
  }
}
