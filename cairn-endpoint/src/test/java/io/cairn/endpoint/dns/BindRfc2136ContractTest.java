package io.cairn.endpoint.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.endpoint.rfc2136.Rfc2136Provider;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider contract against a real BIND 9 over TSIG-signed RFC 2136. {@code bin/cairn test}
 * installs Debian's bind9 when missing; without {@code named} this test fails rather than skips,
 * unless {@code -Dcairn.endpoint.skipBind=true} says so explicitly.
 */
class BindRfc2136ContractTest extends DnsProviderContract {
  @TempDir static Path dir;
  static BindServer bind;
  static Rfc2136Provider provider;

  @BeforeAll
  static void startBind() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(Boolean.getBoolean("cairn.endpoint.skipBind"),
        "BIND tests skipped by -Dcairn.endpoint.skipBind=true");
    assertThat(Files.isExecutable(Path.of(BindServer.NAMED)))
        .as("named from Debian's bind9 is required (apt-get install bind9)").isTrue();
    bind = new BindServer(dir);
    provider = new Rfc2136Provider("cairn.internal", bind.address(), Rfc2136Provider.tsig(bind.tsigSpec()));
  }

  @AfterAll
  static void stopBind() throws Exception {
    if (bind != null) {
      bind.close();
    }
  }

  @Override
  DnsProvider provider() {
    return provider;
  }

  @Test
  void updatesWithAWrongKeyAreRefused() {
    Rfc2136Provider stranger = new Rfc2136Provider("cairn.internal", bind.address(),
        Rfc2136Provider.tsig("hmac-sha256:" + BindServer.KEY_NAME + ":"
            + java.util.Base64.getEncoder().encodeToString(new byte[32])));
    BatchResult r = stranger.apply(ChangeBatch.builder("x").create(
        DnsRecord.a("evil." + base, 30, "127.0.0.66")).build());
    assertThat(r.applied()).isFalse();
    assertThat(provider.snapshot().get("evil." + base, RecordType.A)).isEmpty();
  }
}
