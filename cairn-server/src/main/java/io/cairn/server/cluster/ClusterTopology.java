package io.cairn.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The processes of a local cluster: written by {@code cairn cluster start} to {@code DIR/cluster.json}
 * before any process starts, and read by every process to find its own settings and its peers
 * (the metadata group's members, the storage nodes). Nothing else is shared between processes.
 *
 * @param processes every process, in start order
 * @param settings the repair timeout and the partition logs' compaction (a file without them
 *     means the defaults)
 */
public record ClusterTopology(List<ProcessSpec> processes, ClusterSettings settings) {
  public static final String FILE_NAME = "cluster.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public ClusterTopology(List<ProcessSpec> processes) {
    this(processes, ClusterSettings.DEFAULTS);
  }

  public ClusterTopology {
    java.util.Objects.requireNonNull(settings, "settings");
    processes = List.copyOf(processes);
    Set<String> names = new HashSet<>();
    Set<String> addresses = new HashSet<>();
    for (ProcessSpec p : processes) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("two processes named " + p.name());
      }
      if (!addresses.add(p.address())) {
        throw new IllegalArgumentException("two processes on " + p.address());
      }
    }
  }

  public List<ProcessSpec> byRole(Role role) {
    return processes.stream().filter(p -> p.role() == role).toList();
  }

  public ProcessSpec byName(String name) {
    return processes.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no process named " + name + " in the topology"));
  }

  public static ClusterTopology read(Path file) {
    try {
      JsonNode root = JSON.readTree(file.toFile());
      List<ProcessSpec> processes = new ArrayList<>();
      for (JsonNode p : root.path("processes")) {
        processes.add(new ProcessSpec(p.path("name").asText(), Role.valueOf(p.path("role").asText()),
            p.path("az").asText(), p.path("host").asText(), p.path("port").asInt(),
            Path.of(p.path("dataDir").asText()), Path.of(p.path("logFile").asText())));
      }
      return new ClusterTopology(processes, ClusterSettings.readFrom(root.path("settings")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cluster topology " + file, e);
    }
  }

  /** Writes the topology atomically (a process never reads half a file). */
  public void write(Path file) {
    ObjectNode root = JSON.createObjectNode();
    settings.writeTo(root.putObject("settings"));
    ArrayNode list = root.putArray("processes");
    for (ProcessSpec p : processes) {
      list.addObject().put("name", p.name()).put("role", p.role().name()).put("az", p.az()).put("host", p.host())
          .put("port", p.port()).put("dataDir", p.dataDir().toAbsolutePath().toString())
          .put("logFile", p.logFile().toAbsolutePath().toString());
    }
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write cluster topology " + file, e);
    }
  }
}
