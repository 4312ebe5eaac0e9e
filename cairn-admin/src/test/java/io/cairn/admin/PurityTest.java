package io.cairn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The auto-admin core is pure: no clock, randomness, threads or I/O (STYLE practices 1, 2 and 7). */
class PurityTest {
  private static final List<String> FORBIDDEN = List.of(
      "System.currentTimeMillis", "System.nanoTime", "Instant.now", "new Random(", "Math.random",
      "ThreadLocalRandom", "Thread.sleep", "import java.nio", "import java.net.", "import java.io.",
      "new Thread(", "System.out", "System.err", "ExecutorService");

  @Test
  void mainCodeHasNoClockRandomnessThreadsOrIo() throws IOException {
    List<String> offences = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
      files = s.filter(f -> f.toString().endsWith(".java")).toList();
    }
    assertThat(files).hasSizeGreaterThan(5);
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f);
      for (int i = 0; i < lines.size(); i++) {
        for (String bad : FORBIDDEN) {
          if (lines.get(i).contains(bad)) {
            offences.add(f.getFileName() + ":" + (i + 1) + " uses " + bad);
          }
        }
      }
    }
    assertThat(offences).isEmpty();
  }
}
