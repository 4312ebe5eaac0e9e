package io.cairn.it.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cairn as {@code bin/cairn start} runs it: a child JVM with {@code cairn-server/target/classes} and
 * {@code cairn-server/target/lib/*} on the class path, main class {@code io.cairn.server.CairnMain}.
 * Used by the crash test (SIGKILL, restart on the same data directory) and the benchmark.
 */
public final class CairnProcess implements DynamoTarget {
  private static final String MAIN_CLASS = "io.cairn.server.CairnMain";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final URI endpoint;
  private final Path dataDir; // null when in memory
  private final int port;

  private CairnProcess(Process process, URI endpoint, Path dataDir, int port) {
    this.process = process;
    this.endpoint = endpoint;
    this.dataDir = dataDir;
    this.port = port;
  }

  public static CairnProcess startInMemory() {
    return launch(null, ChildProcesses.freePort());
  }

  /** Starts Cairn on {@code dataDir} and {@code port} (pass the old port to restart in place). */
  public static CairnProcess start(Path dataDir, int port) {
    return launch(dataDir, port);
  }

  private static CairnProcess launch(Path dataDir, int port) {
    Path serverTarget = repoRoot().resolve("cairn-server/target");
    if (!Files.isDirectory(serverTarget.resolve("classes")) || !Files.isDirectory(serverTarget.resolve("lib"))) {
      throw new IllegalStateException(
          "Cairn is not built: " + serverTarget + " needs classes/ and lib/ (run ./mvnw -DskipTests install)");
    }
    List<String> command = new ArrayList<>();
    command.add(ChildProcesses.javaBinary());
    command.add("-XX:+UseZGC");
    command.add("-Xss1m");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(serverTarget.resolve("classes") + ":" + serverTarget.resolve("lib") + "/*");
    command.add(MAIN_CLASS);
    command.add("start");
    command.add("--port");
    command.add(Integer.toString(port));
    if (dataDir == null) {
      command.add("--in-memory");
    } else {
      command.add("--data-dir");
      command.add(dataDir.toString());
    }
    Path logFile = ChildProcesses.buildDir().resolve("child-logs/cairn-" + port + ".log");
    Process process = ChildProcesses.launch(command, logFile);
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    ChildProcesses.awaitHttp(endpoint, process, READY_TIMEOUT, logFile);
    return new CairnProcess(process, endpoint, dataDir, port);
  }

  /** The repository root: -Dcairn.it.repoRoot (set by the build), else found from the working dir. */
  public static Path repoRoot() {
    String prop = System.getProperty("cairn.it.repoRoot");
    if (prop != null) {
      return Path.of(prop);
    }
    Path here = Path.of("").toAbsolutePath();
    return here.endsWith("cairn-it") ? here.getParent() : here;
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public String name() {
    return "cairn-process";
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no flush. */
  public void kill() {
    ChildProcesses.kill(process);
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  @Override
  public void close() {
    ChildProcesses.stop(process, Duration.ofSeconds(10));
  }
}
