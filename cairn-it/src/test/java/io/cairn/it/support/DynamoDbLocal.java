package io.cairn.it.support;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * DynamoDB Local ({@code com.amazonaws:DynamoDBLocal}, the behavioural oracle) started in a child
 * JVM, in memory, on a free loopback port.
 *
 * <p>It runs in its own JVM rather than in the test's because it brings its own Jetty, logging and
 * SQLite native library, and because the benchmark must measure its CPU separately. The class path
 * and the sqlite4java library are laid out by the cairn-it build under
 * {@code target/dynamodb-local} ({@code classpath.txt} and {@code native/}).
 */
public final class DynamoDbLocal implements DynamoTarget {
  private static final String MAIN_CLASS = "com.amazonaws.services.dynamodbv2.local.main.ServerRunner";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS_MAX = 3;

  private final Process process;
  private final URI endpoint;
  private final Path logFile;

  private DynamoDbLocal(Process process, URI endpoint, Path logFile) {
    this.process = process;
    this.endpoint = endpoint;
    this.logFile = logFile;
  }

  /** Starts an in-memory DynamoDB Local and returns once it answers HTTP. */
  public static DynamoDbLocal start() {
    return startWithRetries(null);
  }

  /**
   * Starts DynamoDB Local on its SQLite files in {@code dbPath} (created if absent); starting again
   * on the same directory sees the same tables. Used to check the crash harness itself.
   */
  public static DynamoDbLocal startPersistent(Path dbPath) {
    return startWithRetries(dbPath);
  }

  private static DynamoDbLocal startWithRetries(Path dbPath) {
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS_MAX; attempt++) {
      try {
        return startOnce(ChildProcesses.freePort(), dbPath);
      } catch (IllegalStateException e) {
        last = e; // most likely another process took the port between probe and bind
      }
    }
    throw last;
  }

  private static DynamoDbLocal startOnce(int port, Path dbPath) {
    Path home = home();
    String classpath;
    try {
      classpath = Files.readString(home.resolve("classpath.txt"), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IllegalStateException(
          "missing " + home.resolve("classpath.txt") + ": build cairn-it first (./mvnw -pl cairn-it test-compile)", e);
    }
    List<String> command = new ArrayList<>();
    command.add(ChildProcesses.javaBinary());
    command.add("-Xms64m");
    command.add("-Xmx512m");
    command.add("-XX:+UseSerialGC");
    command.add("-Djava.library.path=" + home.resolve("native"));
    command.add("-Dsqlite4java.library.path=" + home.resolve("native"));
    command.add("-cp");
    command.add(classpath);
    command.add(MAIN_CLASS);
    if (dbPath == null) {
      command.add("-inMemory");
    } else {
      try {
        Files.createDirectories(dbPath);
      } catch (IOException e) {
        throw new IllegalStateException("cannot create " + dbPath, e);
      }
      command.add("-dbPath");
      command.add(dbPath.toString());
    }
    command.add("-port");
    command.add(Integer.toString(port));
    Path logFile = ChildProcesses.buildDir().resolve("child-logs/dynamodb-local-" + port + ".log");
    Process process = ChildProcesses.launch(command, logFile);
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    ChildProcesses.awaitHttp(endpoint, process, READY_TIMEOUT, logFile);
    return new DynamoDbLocal(process, endpoint, logFile);
  }

  /** The directory with {@code classpath.txt} and {@code native/}. */
  public static Path home() {
    String dir = System.getProperty("cairn.it.dynamodbLocalDir");
    return dir != null ? Path.of(dir) : ChildProcesses.buildDir().resolve("dynamodb-local");
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public String name() {
    return "dynamodb-local";
  }

  /** SIGKILL, for crash tests. */
  public void kill() {
    ChildProcesses.kill(process);
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return logFile;
  }

  @Override
  public void close() {
    ChildProcesses.stop(process, Duration.ofSeconds(5));
  }
}
