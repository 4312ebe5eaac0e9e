package io.cairn.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.it.support.CairnProcess;
import io.cairn.it.support.ChildProcesses;
import io.cairn.it.support.DynamoDbLocal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server in a child process is SIGKILLed during a write load and restarted on the same data
 * directory; every acknowledged write must be there.
 *
 * <p>The Cairn run is on by default ({@code -Dcairn.it.crash=false} turns it off); the DynamoDB
 * Local run checks the harness itself and always runs. Properties: {@code cairn.crash.seed},
 * {@code cairn.crash.cycles} (default 3), {@code cairn.crash.writers} (default 8).
 */
class CrashRecoveryTest {
  @TempDir Path dataDir;

  @Test
  @DisabledIfSystemProperty(named = "cairn.it.crash", matches = "false")
  void cairnKeepsEveryAcknowledgedWriteAcrossKillMinus9() {
    CrashHarness.Launcher cairn =
        dir -> {
          CairnProcess p = CairnProcess.start(dir, ChildProcesses.freePort());
          return server(p.endpoint(), p::kill);
        };
    runAndCheck(cairn, Integer.getInteger("cairn.crash.cycles", 3));
  }

  /** The harness must see no loss on a server known to persist acknowledged writes. */
  @Test
  void harnessFindsNoLossOnDynamoDbLocalWithSqliteFiles() throws Exception {
    Files.createDirectories(dataDir);
    CrashHarness.Launcher local =
        dir -> {
          DynamoDbLocal p = DynamoDbLocal.startPersistent(dir);
          return server(p.endpoint(), p::kill);
        };
    runAndCheck(local, 1);
  }

  private void runAndCheck(CrashHarness.Launcher launcher, int cycles) {
    long seed = Long.getLong("cairn.crash.seed", System.nanoTime());
    int writers = Integer.getInteger("cairn.crash.writers", 8);
    System.out.println("crash: seed=" + seed + " cycles=" + cycles + " writers=" + writers + " dataDir=" + dataDir);
    CrashHarness.Outcome outcome =
        new CrashHarness(launcher, dataDir, writers, seed).run(cycles, Duration.ofSeconds(2), Duration.ofSeconds(5));
    System.out.println("crash: " + outcome.ackedKeys() + " acknowledged keys checked, " + outcome.lost().size() + " problems");
    assertThat(outcome.ackedKeys()).as("the load must have written something").isPositive();
    assertThat(outcome.lost()).as("lost or wrong acknowledged writes (seed %d)", seed).isEmpty();
  }

  private static CrashHarness.Server server(URI endpoint, Runnable kill) {
    return new CrashHarness.Server() {
      @Override
      public URI endpoint() {
        return endpoint;
      }

      @Override
      public void kill() {
        kill.run();
      }
    };
  }
}
