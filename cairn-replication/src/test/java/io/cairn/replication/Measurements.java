package io.cairn.replication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends measured numbers to target/replication-measurements.txt (and stdout). */
final class Measurements {
  private Measurements() {}

  static synchronized void record(String line) {
    System.out.println("MEASURED " + line);
    try {
      Files.writeString(Path.of("target", "replication-measurements.txt"), line + System.lineSeparator(),
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
