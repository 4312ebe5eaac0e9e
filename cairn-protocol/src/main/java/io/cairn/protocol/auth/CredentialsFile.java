package io.cairn.protocol.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the credentials file: one {@code ACCESS_KEY_ID SECRET_ACCESS_KEY} pair per line,
 * separated by whitespace; lines starting with '#' and blank lines are ignored. Errors name the
 * line number but never echo a secret.
 */
public final class CredentialsFile {
  private CredentialsFile() {}

  public static Map<String, String> read(Path path) throws IOException {
    return parse(Files.readAllLines(path, StandardCharsets.UTF_8), path.toString());
  }

  /** Parses the lines of a credentials file; {@code source} names it in error messages. */
  public static Map<String, String> parse(List<String> lines, String source) {
    Map<String, String> secretsByAccessKeyId = new LinkedHashMap<>();
    int lineNumber = 0;
    for (String line : lines) {
      lineNumber++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] fields = trimmed.split("\\s+");
      if (fields.length != 2) {
        throw new IllegalArgumentException(
            source + ":" + lineNumber + ": expected 'ACCESS_KEY_ID SECRET_ACCESS_KEY', found " + fields.length + " fields");
      }
      if (secretsByAccessKeyId.putIfAbsent(fields[0], fields[1]) != null) {
        throw new IllegalArgumentException(source + ":" + lineNumber + ": access key id " + fields[0] + " appears twice");
      }
    }
    return secretsByAccessKeyId;
  }
}
