package io.cairn.it.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Shared plumbing for the servers tests start as child JVMs (DynamoDB Local, Cairn): the java
 * binary, free ports, readiness polling, and a shutdown hook so that no child outlives the test JVM
 * even when a test forgets to close it or the JVM is interrupted.
 */
public final class ChildProcesses {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Process p : LIVE) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                  }
                },
                "child-process-reaper"));
  }

  private ChildProcesses() {}

  /** The java launcher of the running JVM, so children run on the same JDK. */
  public static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A port that was free a moment ago; callers retry if a race takes it. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  /** Starts {@code command} with output going to {@code logFile}, registered for the reaper. */
  public static Process launch(List<String> command, Path logFile) {
    try {
      Files.createDirectories(logFile.getParent());
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      Process p = pb.start();
      LIVE.add(p);
      return p;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command, e);
    }
  }

  /**
   * Polls {@code GET endpoint/} until the server answers with any HTTP status (a DynamoDB endpoint
   * answers GET / with an error or a health line; either proves it is listening and parsing HTTP).
   */
  public static void awaitHttp(URI endpoint, Process process, Duration timeout, Path logFile) {
    HttpClient client =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
    long deadlineNanos = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadlineNanos) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "server exited with " + process.exitValue() + " before it was ready; log " + logFile + ":\n" + tail(logFile));
      }
      try {
        HttpRequest r = HttpRequest.newBuilder(endpoint.resolve("/")).timeout(Duration.ofSeconds(2)).GET().build();
        client.send(r, HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        sleep(POLL_INTERVAL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + endpoint, e);
      }
    }
    stop(process, Duration.ZERO);
    throw new IllegalStateException("server at " + endpoint + " not ready after " + timeout + "; log:\n" + tail(logFile));
  }

  /** Asks the process to exit (SIGTERM), then SIGKILLs it and its children after {@code grace}. */
  public static void stop(Process process, Duration grace) {
    try {
      if (!grace.isZero()) {
        process.destroy();
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      }
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      LIVE.remove(process);
    }
  }

  /** SIGKILL without grace: what the crash tests need. */
  public static void kill(Process process) {
    stop(process, Duration.ZERO);
  }

  public static String tail(Path logFile) {
    try {
      if (!Files.exists(logFile)) {
        return "(no log)";
      }
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(unreadable log: " + e + ")";
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Where build output of this module lives; test logs go under it. */
  public static Path buildDir() {
    String dir = System.getProperty("cairn.it.dynamodbLocalDir");
    if (dir != null) {
      return Path.of(dir).getParent();
    }
    Path here = Path.of("").toAbsolutePath();
    return here.endsWith("cairn-it") ? here.resolve("target") : here.resolve("cairn-it/target");
  }
}
