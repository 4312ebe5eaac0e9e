package io.cairn.it.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cairn.it.support.DynamoTarget;
import io.cairn.it.support.Targets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the AWS CLI and boto3 smoke scripts ({@code src/test/scripts}) against each target in
 * {@code -Dcairn.it.targets} (default {@code cairn,local}: Cairn in process, and DynamoDB Local so
 * that the scripts' own expectations stay checked against the oracle). A missing tool fails the
 * test with the command that installs it; nothing is skipped silently.
 */
class ClientScriptsTest {
  private static final long SCRIPT_TIMEOUT_SECONDS = 180;

  static List<String> targets() {
    return List.of(System.getProperty("cairn.it.targets", "cairn,local").split(","));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void awsCliSmoke(String targetKind) throws Exception {
    if (!onPath("aws")) {
      fail("the AWS CLI ('aws') is not on PATH; install it (apt-get install awscli, or pip install awscli)."
          + " bin/cairn test installs it when run as root.");
    }
    try (DynamoTarget target = Targets.start(targetKind.trim())) {
      run(List.of("bash", script("cli-smoke.sh").toString(), target.endpoint().toString()), "cli-smoke: OK");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void boto3Smoke(String targetKind) throws Exception {
    String python = pythonWithBoto3();
    try (DynamoTarget target = Targets.start(targetKind.trim())) {
      run(List.of(python, script("boto3-smoke.py").toString(), target.endpoint().toString()), "boto3-smoke: OK");
    }
  }

  /** python3 from PATH (pyenv, virtualenv) first, then Debian's /usr/bin/python3 (python3-boto3). */
  private static String pythonWithBoto3() throws Exception {
    List<String> tried = new ArrayList<>();
    for (String candidate : List.of("python3", "/usr/bin/python3")) {
      tried.add(candidate);
      try {
        Process p = new ProcessBuilder(candidate, "-c", "import boto3").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException e) {
        // not installed at this path; try the next
      }
    }
    return fail("no python3 with boto3 found (tried " + tried + "); install it: apt-get install python3-boto3,"
        + " or pip install boto3. bin/cairn test installs it when run as root.");
  }

  private static boolean onPath(String command) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", "command -v " + command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  private static Path script(String name) {
    String dir = System.getProperty("cairn.it.scriptsDir", "src/test/scripts");
    Path path = Path.of(dir, name);
    assertThat(path).exists();
    return path;
  }

  private static void run(List<String> command, String successLine) throws Exception {
    Path log = Files.createTempFile("cairn-client-script", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean finished = p.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!finished) {
        p.destroyForcibly();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      System.out.println(output);
      assertThat(finished).as("%s finished within %d s; output:%n%s", command, SCRIPT_TIMEOUT_SECONDS, output).isTrue();
      assertThat(p.exitValue()).as("exit status of %s; output:%n%s", command, output).isZero();
      assertThat(output).contains(successLine);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
