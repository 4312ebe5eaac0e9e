package io.cairn.endpoint.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator tool's answers when it cannot do its job: one clear line and an exit code, no stack trace. */
class EndpointToolTest {
  private static final String TSIG = "hmac-sha256:cairn-ops:"
      + java.util.Base64.getEncoder().encodeToString(new byte[32]);

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return EndpointTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("CAIRN_DNS_TSIG", TSIG));
  }

  private String errText() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aDnsServerThatDoesNotAnswerGivesOneLineAndExitOne() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    for (String command : new String[] {"show", "freeze", "unfreeze"}) {
      out.reset();
      err.reset();
      int exit = run("--server", "127.0.0.1:" + closedPort, command);

      assertThat(exit).as(command).isEqualTo(EndpointTool.EXIT_REFUSED);
      assertThat(out.size()).as(command).isZero();
      assertThat(errText().lines()).as(command).hasSize(1);
      assertThat(errText()).as(command)
          .contains("could not read zone cairn.internal from the DNS server at 127.0.0.1:" + closedPort)
          .contains("nothing changed")
          .contains("cairn cluster status")
          .contains("TSIG key")
          .doesNotContain("Exception:", "\tat ");
    }
  }

  @Test
  void aMalformedServerOrKeyIsAUsageError() {
    assertThat(run("--server", "127.0.0.1", "show")).isEqualTo(EndpointTool.EXIT_USAGE);
    assertThat(errText()).contains("--server must be HOST:PORT, got '127.0.0.1'");
    err.reset();

    assertThat(run("--server", "127.0.0.1:8053", "--tsig", "hmac-sha256-only", "show"))
        .isEqualTo(EndpointTool.EXIT_USAGE);
    assertThat(errText()).contains("must be ALGORITHM:NAME:BASE64SECRET").doesNotContain("\tat ");
  }
}
