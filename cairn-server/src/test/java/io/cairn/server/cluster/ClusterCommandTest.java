package io.cairn.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line's wiring: options reach the launcher, and a refusal is one line and exit code 1. */
class ClusterCommandTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = new CommandLine(new ClusterCommand()).execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void aShapeThatCannotWorkIsRefusedBeforeAnythingStarts() {
    Run r = run("start", "--dir", dir.toString(), "--azs", "0");
    assertThat(r.exit()).isEqualTo(ClusterCommand.EXIT_FAILED);
    assertThat(r.err()).isEqualTo("cairn cluster: --azs must be 1..9, got 0\n");
    assertThat(dir.resolve("cluster.json")).doesNotExist();
  }

  @Test
  void everySubcommandOnAnEmptyDirectorySaysThereIsNoClusterThere() {
    for (String[] args : new String[][] {{"status"}, {"status", "--json"}, {"kill", "router-1"},
        {"restart", "router-1"}, {"stop"}}) {
      String[] withDir = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
          java.util.stream.Stream.of("--dir", dir.toString())).toArray(String[]::new);
      Run r = run(withDir);
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(ClusterCommand.EXIT_FAILED);
      assertThat(r.err()).as(String.join(" ", args)).isEqualTo("cairn cluster: no cluster in " + dir
          + " (no cluster.json); start one with: cairn cluster start --dir " + dir + "\n");
    }
  }

  @Test
  void helpListsTheSubcommands() {
    Run r = run("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("start", "status", "kill", "restart", "stop");
    assertThat(run("start", "--help").out()).contains("--azs", "--nodes-per-az", "--routers", "--dir",
        "--router-port", "--dns-port", "--metadata-port-base", "--storage-port-base");
  }
}
