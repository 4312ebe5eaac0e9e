package io.cairn.endpoint.runtime;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.endpoint.plan.RouterStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fleet as a JSON file: {@code [{"id":"lb-az1-001","az":"az1","address":"127.0.1.1",
 * "capacity":2,"healthy":true}, ...]}. Tests and a local cluster without a metadata service use it.
 */
public final class FileFleetSource implements FleetSource {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  public FileFleetSource(Path file) {
    this.file = file;
  }

  @Override
  public List<RouterStatus> read() throws IOException {
    return JSON.readValue(Files.readAllBytes(file), new TypeReference<List<RouterStatus>>() {});
  }

  /** Writes atomically (temp file and rename), so a reader never sees half a fleet. */
  public static void write(Path file, List<RouterStatus> fleet) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(fleet));
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
