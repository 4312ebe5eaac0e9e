package io.cairn.endpoint.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.cairn.endpoint.plan.RouterStatus;
import io.cairn.endpoint.runtime.RouterHealth.Probe;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProbingFleetSourceTest {
  private static final ProbingFleetSource.Router R1 = new ProbingFleetSource.Router("router-1", "az1", "127.0.1.1", 8000, 1);
  private static final ProbingFleetSource.Router R2 = new ProbingFleetSource.Router("router-2", "az2", "127.0.1.2", 8000, 1);

  // ---- the rule, with a hand-driven clock ----------------------------------------------------

  @Test
  void healthyFromTheFirstAnswerOutAtOnceWhenRefused() {
    RouterHealth h = new RouterHealth(3_000);
    assertThat(h.observe("r", Probe.NO_ANSWER, 0)).isEqualTo(
        new RouterHealth.Verdict(false, true, "has not answered yet"));
    assertThat(h.observe("r", Probe.HEALTHY, 100).healthy()).isTrue();
    assertThat(h.observe("r", Probe.HEALTHY, 200).changed()).isFalse();
    RouterHealth.Verdict refused = h.observe("r", Probe.REFUSED, 300);
    assertThat(refused.healthy()).isFalse();
    assertThat(refused.changed()).isTrue();
    assertThat(h.observe("r", Probe.HEALTHY, 400)).extracting(RouterHealth.Verdict::healthy,
        RouterHealth.Verdict::changed).containsExactly(true, true);
  }

  @Test
  void aSilentRouterKeepsItsPlaceForTheGraceThenLeaves() {
    RouterHealth h = new RouterHealth(3_000);
    h.observe("r", Probe.HEALTHY, 1_000);
    assertThat(h.observe("r", Probe.NO_ANSWER, 2_000).healthy()).isTrue();
    assertThat(h.observe("r", Probe.NO_ANSWER, 3_999).healthy()).isTrue();
    RouterHealth.Verdict out = h.observe("r", Probe.NO_ANSWER, 4_000);
    assertThat(out.healthy()).isFalse();
    assertThat(out.changed()).isTrue();
    assertThat(out.reason()).isEqualTo("did not answer; last answer 3000 ms ago (grace 3000 ms)");
  }

  @Test
  void theFleetReflectsEachRoutersProbesAndTheClock() throws Exception {
    Map<String, Probe> next = new HashMap<>(Map.of("router-1", Probe.HEALTHY, "router-2", Probe.HEALTHY));
    AtomicLong nowMs = new AtomicLong(0);
    try (ProbingFleetSource fleet = new ProbingFleetSource(List.of(R1, R2), r -> next.get(r.id()), nowMs::get, 1_000)) {
      assertThat(fleet.read()).containsExactly(
          new RouterStatus("router-1", "az1", "127.0.1.1", 1, true),
          new RouterStatus("router-2", "az2", "127.0.1.2", 1, true));

      next.put("router-1", Probe.REFUSED);
      next.put("router-2", Probe.NO_ANSWER);
      nowMs.set(500);
      assertThat(fleet.read()).extracting(RouterStatus::healthy).containsExactly(false, true);
      nowMs.set(1_000);
      assertThat(fleet.read()).extracting(RouterStatus::healthy).containsExactly(false, false);
    }
  }

  // ---- the HTTP probe against real sockets -----------------------------------------------------

  @Test
  void theHttpProbeTellsHealthyFromRefusedFromSilent() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    HttpServer ok = HttpServer.create(new InetSocketAddress(lo, 0), 0);
    ok.createContext("/", x -> {
      byte[] body = "healthy: dynamodb.local.amazonaws.com ".getBytes();
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    HttpServer failing = HttpServer.create(new InetSocketAddress(lo, 0), 0);
    failing.createContext("/", x -> {
      x.sendResponseHeaders(503, -1);
      x.close();
    });
    ok.start();
    failing.start();
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, lo)) {
      closedPort = s.getLocalPort();
    }
    // Accepts connections (the kernel does, from the backlog) but never answers.
    try (ServerSocket silent = new ServerSocket(0, 50, lo)) {
      assertThat(probe(ok.getAddress().getPort())).isEqualTo(Probe.HEALTHY);
      assertThat(probe(failing.getAddress().getPort())).isEqualTo(Probe.REFUSED);
      assertThat(probe(closedPort)).isEqualTo(Probe.REFUSED);
      assertThat(probe(silent.getLocalPort())).isEqualTo(Probe.NO_ANSWER);
    } finally {
      ok.stop(0);
      failing.stop(0);
    }
  }

  private static Probe probe(int port) {
    return ProbingFleetSource.probeHttp(
        new ProbingFleetSource.Router("router-1", "az1", InetAddress.getLoopbackAddress().getHostAddress(), port, 1), 300);
  }
}
