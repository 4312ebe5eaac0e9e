package io.cairn.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.FrontEndConfig;
import io.cairn.protocol.HttpFrontEnd;
import io.cairn.protocol.auth.Authenticator;
import io.cairn.protocol.testing.EchoService;
import io.cairn.protocol.testing.RawHttp;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  @Test
  void closeReleasesThePortPromptly() throws IOException {
    HttpFrontEnd server = HttpFrontEnd.start(FrontEndConfig.defaults("127.0.0.1", 0),
        new EchoService(ForkJoinPool.commonPool()), Authenticator.acceptingAnySignature());
    int port = server.address().getPort();
    try (RawHttp http = new RawHttp(server.address())) {
      assertThat(http.send("POST", "/", RawHttpTest.headers("DynamoDB_20120810.ListTables"),
          "{}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
      long startNanos = System.nanoTime();
      server.close();
      assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(Duration.ofSeconds(5));
      assertThat(http.closedByServer()).isTrue();
    }
    try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void bindingABusyPortFailsWithIOException() throws IOException {
    try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpFrontEnd.start(
              FrontEndConfig.defaults("127.0.0.1", busy.getLocalPort()),
              new EchoService(ForkJoinPool.commonPool()), Authenticator.acceptingAnySignature()))
          .isInstanceOf(IOException.class);
    }
  }
}
