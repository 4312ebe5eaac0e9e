package io.cairn.endpoint.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.endpoint.plan.RouterStatus;
import io.cairn.endpoint.tools.EndpointTool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The role as a local cluster would start it, with the operator tool pointed at its DNS port. */
class EndpointMainTest {
  @TempDir Path dir;

  @Test
  void startsServesAndTakesOperatorCommands() throws Exception {
    Path fleet = dir.resolve("fleet.json");
    FileFleetSource.write(fleet, List.of(
        new RouterStatus("lb-az1-001", "az1", "127.0.1.1", 2, true),
        new RouterStatus("lb-az2-001", "az2", "127.0.1.2", 2, true)));
    String tsig = "hmac-sha256:cairn-ops:" + java.util.Base64.getEncoder().encodeToString(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
        27, 28, 29, 30, 31, 32});
    try (EndpointMain m = EndpointMain.start(new String[] {"--fleet", fleet.toString(), "--plans",
        dir.resolve("plans").toString(), "--port", "0", "--interval-ms", "50", "--lease-ms", "1000",
        "--tsig", tsig}, Map.of())) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      String shown = "";
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (System.nanoTime() < deadline && !shown.contains("resolves to 2 address(es)")) {
        out.reset();
        EndpointTool.run(new String[] {"--server", "127.0.0.1:" + m.port(), "show"},
            new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Map.of("CAIRN_DNS_TSIG", tsig));
        shown = out.toString(StandardCharsets.UTF_8);
        Thread.sleep(20);
      }
      assertThat(shown).contains("* p000001.dynamodb.local.cairn.internal", "resolves to 2 address(es)");
    }
  }
}
