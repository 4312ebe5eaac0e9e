package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commits without fsync in a child JVM, kills it with SIGKILL mid-stream, reopens: every batch
 * whose commit returned must be there (the WAL write reached the OS page cache), and the applied
 * index must cover exactly the batches present.
 */
class CrashRecoveryTest {
  @TempDir Path dir;

  @Test
  void everyReturnedCommitSurvivesSigkill() throws Exception {
    Path data = dir.resolve("db");
    long lastAcknowledged = 0;
    for (int round = 0; round < 2; round++) {
      lastAcknowledged = Math.max(lastAcknowledged, runAndKill(data, 300 + round * 200));
      try (StorageEngine engine = StorageEngine.open(data, StorageOptions.small())) {
        long applied = engine.appliedIndex(CrashWriter.LOG).value();
        assertThat(applied).isGreaterThanOrEqualTo(lastAcknowledged);
        for (long index = 1; index <= applied; index++) {
          for (int item = 0; item < 3; item++) {
            assertThat(engine.get(CrashWriter.key(index, item)))
                .as("index %d item %d", index, item)
                .isNotNull();
          }
        }
        // Nothing beyond the applied index: data and index are one atomic write.
        assertThat(engine.get(CrashWriter.key(applied + 1, 0))).isNull();
      }
    }
  }

  /** Starts the writer, waits for {@code commits} acknowledgements, kills it; returns the last. */
  private static long runAndKill(Path data, int commits) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                CrashWriter.class.getName(),
                data.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    long last = 0;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      int seen = 0;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("committed ")) {
          last = Long.parseLong(line.substring("committed ".length()));
          if (++seen >= commits) {
            break;
          }
        }
      }
      // SIGKILL while the writer is still committing. Acknowledgements printed after the last
      // line read are not checked; every one that was read must survive.
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      process.destroyForcibly();
    }
    assertThat(last).as("the writer acknowledged commits").isGreaterThan(0);
    return last;
  }
}
