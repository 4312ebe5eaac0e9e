package io.cairn.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model-checks {@code src/test/tla/EndpointProtocol.tla} with TLC in a child JVM. The guarded
 * configuration must pass; the legacy one (the 2025 protocol) must fail on RootResolves; and the
 * guarded model must be able to reach the newest plan, so it cannot pass by standing still.
 */
class TlcModelCheckTest {
  private static final long TLC_TIMEOUT_SECONDS = 180;
  private static final int TLC_EXIT_SAFETY_VIOLATION = 12;

  @TempDir Path work;

  /** TLC's exit code and output. */
  record TlcRun(int exitCode, String output) {}

  private TlcRun tlc(String config) throws IOException, InterruptedException {
    Path specDir = Paths.get(System.getProperty("cairn.endpoint.tla.dir", "src/test/tla"));
    for (String f : List.of("EndpointProtocol.tla", config + ".cfg")) {
      Files.copy(specDir.resolve(f), work.resolve(f));
    }
    String jar = Paths.get(tlc2.TLC.class.getProtectionDomain().getCodeSource().getLocation()
        .getPath()).toString();
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-XX:+UseParallelGC", "-Xmx512m", "-cp", jar, "tlc2.TLC",
        "-workers", "1", "-config", config + ".cfg", "-metadir", work.resolve("meta").toString(),
        "EndpointProtocol.tla")
        .directory(work.toFile())
        .redirectErrorStream(true)
        .redirectOutput(work.resolve(config + ".out").toFile())
        .start();
    if (!p.waitFor(TLC_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("TLC did not finish " + config + " in " + TLC_TIMEOUT_SECONDS + " s");
    }
    String out = Files.readString(work.resolve(config + ".out"), StandardCharsets.UTF_8);
    System.out.println("=== TLC " + config + " exit " + p.exitValue() + "\n" + out);
    return new TlcRun(p.exitValue(), out);
  }

  @Test
  void guardedModelPasses() throws Exception {
    TlcRun run = tlc("EndpointGuarded");
    assertThat(run.output()).contains("Model checking completed. No error has been found.");
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void guardedModelKeepingTwoPlansPasses() throws Exception {
    TlcRun run = tlc("EndpointGuardedKeep2");
    assertThat(run.output()).contains("Model checking completed. No error has been found.");
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void legacyModelFailsOnTheInvariant() throws Exception {
    TlcRun run = tlc("EndpointLegacy");
    assertThat(run.output()).contains("Invariant RootResolves is violated");
    assertThat(run.exitCode()).isEqualTo(TLC_EXIT_SAFETY_VIOLATION);
  }

  @Test
  void guardedModelCanReachTheNewestPlan() throws Exception {
    TlcRun run = tlc("EndpointGuardedProgress");
    assertThat(run.output()).contains("Invariant NeverReachesNewest is violated");
  }
}
