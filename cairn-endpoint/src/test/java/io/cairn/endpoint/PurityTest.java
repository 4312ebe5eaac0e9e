package io.cairn.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The protocol core (this package, {@code dns} and {@code plan}) takes its clock, randomness and
 * I/O from its callers: STYLE practices 1, 2 and 7, enforced by the build rather than by review.
 */
class PurityTest {
  private static final List<String> FORBIDDEN = List.of(
      "System.currentTimeMillis", "System.nanoTime", "Instant.now", "new Random(", "Math.random",
      "ThreadLocalRandom", "Thread.sleep", "import java.nio.file", "import java.net.",
      "import java.io.File", "import org.xbill", "new Thread(");

  @Test
  void theProtocolCoreHasNoClockRandomnessOrIo() throws IOException {
    Path root = Path.of("src/main/java/io/cairn/endpoint");
    List<Path> core = new ArrayList<>();
    for (Path dir : List.of(root, root.resolve("dns"), root.resolve("plan"))) {
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(f -> f.toString().endsWith(".java")).forEach(core::add);
      }
    }
    assertThat(core).hasSizeGreaterThan(25);
    List<String> offences = new ArrayList<>();
    for (Path f : core) {
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
