package io.cairn.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.auth.Authenticator;
import io.cairn.protocol.http.RawHttpTest;
import io.cairn.protocol.testing.EchoService;
import io.cairn.protocol.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class ConnectionLimitTest {
  @Test
  void connectionsBeyondTheCapAreClosedAndCapacityReturnsWhenOneCloses() throws Exception {
    try (HttpFrontEnd server = HttpFrontEnd.start(FrontEndConfig.defaults("127.0.0.1", 0),
        new EchoService(ForkJoinPool.commonPool()), Authenticator.acceptingAnySignature(), 2)) {
      RawHttp first = new RawHttp(server.address());
      assertThat(listTables(first)).isEqualTo(200);
      try (RawHttp second = new RawHttp(server.address())) {
        assertThat(listTables(second)).isEqualTo(200);
        // Opened only once the second is served: accepted channels are counted on their worker
        // event loops, so two connections opened back to back may be counted in either order.
        try (RawHttp third = new RawHttp(server.address())) {
          assertThat(third.closedByServer()).isTrue();
        }
      }
      first.close();
      // The count drops when the server sees the close; poll briefly rather than sleep blindly.
      for (int attempt = 0; ; attempt++) {
        try (RawHttp again = new RawHttp(server.address())) {
          assertThat(listTables(again)).isEqualTo(200);
          break;
        } catch (IOException refused) {
          if (attempt > 50) {
            throw refused;
          }
          Thread.sleep(20);
        }
      }
    }
  }

  static int listTables(RawHttp http) throws IOException {
    return http.send("POST", "/", RawHttpTest.headers("DynamoDB_20120810.ListTables"),
        "{}".getBytes(StandardCharsets.UTF_8)).status();
  }
}
