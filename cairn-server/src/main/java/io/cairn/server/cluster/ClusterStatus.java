package io.cairn.server.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What {@code cairn cluster status} shows: every process of the topology with its pid and whether
 * it is alive, what the endpoint's DNS name resolves to, and what the metadata service says about
 * storage nodes, partitions and their leaders. Gathered by {@link LocalCluster#status()}; rendering
 * is pure, so the table and the JSON are tested without a cluster.
 *
 * @param dir the cluster's directory
 * @param observedAtMs when it was gathered (wall clock), for heartbeat ages
 */
public record ClusterStatus(Path dir, long observedAtMs, List<ProcessState> processes, EndpointView endpoint,
    MetadataView metadata) {

  public ClusterStatus {
    Objects.requireNonNull(dir, "dir");
    processes = List.copyOf(processes);
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(metadata, "metadata");
  }

  /** Whether a process runs, as its pid file and the operating system tell. */
  public enum Liveness {
    /** Its pid file names a live process started for it. */
    RUNNING,
    /** Its pid file names a process that is gone: killed, or crashed. */
    DEAD,
    /** No pid file: never started, or stopped by {@code cluster stop}. */
    STOPPED
  }

  public record ProcessState(ProcessSpec spec, OptionalLong pid, Liveness liveness) {
    public ProcessState {
      Objects.requireNonNull(spec, "spec");
      Objects.requireNonNull(pid, "pid");
      Objects.requireNonNull(liveness, "liveness");
    }
  }

  /** What the endpoint's DNS name resolved to at the endpoint manager's DNS server. */
  public sealed interface EndpointView {
    /** No ENDPOINT process in the topology. */
    record Absent() implements EndpointView {}

    record Resolved(String name, String server, List<String> addresses) implements EndpointView {
      public Resolved {
        addresses = List.copyOf(addresses);
      }
    }

    record NoAnswer(String name, String server, String reason) implements EndpointView {}
  }

  public sealed interface MetadataView {
    /**
     * @param partitionsOmitted partitions not looked up because the status would be too long
     */
    record Answered(List<NodeView> nodes, List<TableView> tables, int partitionsOmitted) implements MetadataView {
      public Answered {
        nodes = List.copyOf(nodes);
        tables = List.copyOf(tables);
      }
    }

    record Unavailable(String reason) implements MetadataView {}
  }

  /** A storage node as the metadata service records it. */
  public record NodeView(String nodeId, String az, String address, String health, long lastHeartbeatMs) {}

  public record TableView(String name, List<PartitionView> partitions) {
    public TableView {
      partitions = List.copyOf(partitions);
    }
  }

  /**
   * {@code replicas} is empty and {@code leaderHint} blank when the service has no placement yet;
   * {@code filling} names the node a replica is being filled on to replace the one on
   * {@code replacing} (auto-admin's repair), both blank when no replacement is in progress.
   */
  public record PartitionView(long partitionId, List<String> replicas, String leaderHint, String filling,
      String replacing) {
    public PartitionView {
      replicas = List.copyOf(replicas);
      Objects.requireNonNull(leaderHint, "leaderHint");
      Objects.requireNonNull(filling, "filling");
      Objects.requireNonNull(replacing, "replacing");
    }

    public PartitionView(long partitionId, List<String> replicas, String leaderHint) {
      this(partitionId, replicas, leaderHint, "", "");
    }

    String replicasText() {
      if (replicas.isEmpty()) {
        return "(not placed)";
      }
      String text = String.join(", ", replicas);
      return filling.isBlank() ? text : text + " (+ " + filling + " FILLING, replacing " + replacing + ")";
    }
  }

  public long running() {
    return processes.stream().filter(p -> p.liveness() == Liveness.RUNNING).count();
  }

  // ---- text ----------------------------------------------------------------------------------

  /** The table an operator reads; one line per process, then the endpoint, nodes and partitions. */
  public String renderText() {
    StringBuilder sb = new StringBuilder();
    sb.append("cluster ").append(dir).append(": ").append(running()).append(" of ").append(processes.size())
        .append(" processes running\n\n");
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("NAME", "ROLE", "AZ", "ADDRESS", "PID", "STATE", "LOG"));
    for (ProcessState p : processes) {
      ProcessSpec s = p.spec();
      rows.add(List.of(s.name(), s.role().name().toLowerCase(java.util.Locale.ROOT), s.az(), s.address(),
          p.pid().isPresent() ? String.valueOf(p.pid().getAsLong()) : "-", stateWord(p.liveness()),
          s.logFile().toString()));
    }
    table(sb, rows);
    sb.append('\n');
    switch (endpoint) {
      case EndpointView.Absent a -> sb.append("endpoint: no endpoint manager in this cluster\n");
      case EndpointView.Resolved r -> sb.append("endpoint ").append(r.name()).append(" @").append(r.server())
          .append(" -> ").append(r.addresses().isEmpty() ? "NO ADDRESSES" : String.join(", ", r.addresses()))
          .append('\n');
      case EndpointView.NoAnswer n -> sb.append("endpoint ").append(n.name()).append(" @").append(n.server())
          .append(": no answer (").append(n.reason()).append(")\n");
    }
    switch (metadata) {
      case MetadataView.Unavailable u -> sb.append("metadata service: no answer (").append(u.reason())
          .append("); partitions and leaders unknown\n");
      case MetadataView.Answered a -> renderMetadata(sb, a);
    }
    return sb.toString();
  }

  private void renderMetadata(StringBuilder sb, MetadataView.Answered a) {
    sb.append('\n');
    if (a.nodes().isEmpty()) {
      sb.append("storage nodes: none registered with the metadata service\n");
    } else {
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("NODE", "AZ", "ADDRESS", "HEALTH", "HEARTBEAT"));
      for (NodeView n : a.nodes()) {
        rows.add(List.of(n.nodeId(), n.az(), n.address(), n.health(), age(n.lastHeartbeatMs())));
      }
      table(sb, rows);
    }
    sb.append('\n');
    if (a.tables().isEmpty()) {
      sb.append("tables: none\n");
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("TABLE", "PARTITION", "LEADER", "REPLICAS"));
    for (TableView t : a.tables()) {
      for (PartitionView p : t.partitions()) {
        rows.add(List.of(t.name(), String.valueOf(p.partitionId()),
            p.leaderHint().isBlank() ? "?" : p.leaderHint(),
            p.replicasText()));
      }
    }
    table(sb, rows);
    if (a.partitionsOmitted() > 0) {
      sb.append("... and ").append(a.partitionsOmitted()).append(" more partitions not shown\n");
    }
  }

  private static String stateWord(Liveness l) {
    return switch (l) {
      case RUNNING -> "running";
      case DEAD -> "DEAD";
      case STOPPED -> "stopped";
    };
  }

  private String age(long atMs) {
    if (atMs <= 0) {
      return "never";
    }
    long ageMs = Math.max(0, observedAtMs - atMs);
    return String.format(java.util.Locale.ROOT, "%.1f s ago", ageMs / 1000.0);
  }

  /** Left-aligned columns two spaces apart; the last column is not padded. */
  private static void table(StringBuilder sb, List<List<String>> rows) {
    int columns = rows.getFirst().size();
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    for (List<String> row : rows) {
      for (int c = 0; c < columns; c++) {
        String cell = row.get(c);
        sb.append(cell);
        if (c < columns - 1) {
          sb.append(" ".repeat(width[c] - cell.length() + 2));
        }
      }
      sb.append('\n');
    }
  }

  // ---- JSON ----------------------------------------------------------------------------------

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The same facts for scripts ({@code cluster status --json}); field names are a contract. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("dir", dir.toString());
    root.put("observedAtMs", observedAtMs);
    root.put("running", running());
    ArrayNode ps = root.putArray("processes");
    for (ProcessState p : processes) {
      ProcessSpec s = p.spec();
      ObjectNode n = ps.addObject().put("name", s.name()).put("role", s.role().name()).put("az", s.az())
          .put("host", s.host()).put("port", s.port()).put("address", s.address());
      if (p.pid().isPresent()) {
        n.put("pid", p.pid().getAsLong());
      } else {
        n.putNull("pid");
      }
      n.put("state", p.liveness().name()).put("alive", p.liveness() == Liveness.RUNNING)
          .put("dataDir", s.dataDir().toString()).put("logFile", s.logFile().toString());
    }
    ObjectNode e = root.putObject("endpoint");
    switch (endpoint) {
      case EndpointView.Absent a -> e.put("answered", false).put("reason", "no endpoint manager in this cluster");
      case EndpointView.Resolved r -> {
        e.put("name", r.name()).put("server", r.server()).put("answered", true);
        r.addresses().forEach(e.putArray("addresses")::add);
      }
      case EndpointView.NoAnswer n -> e.put("name", n.name()).put("server", n.server()).put("answered", false)
          .put("reason", n.reason());
    }
    ObjectNode m = root.putObject("metadata");
    switch (metadata) {
      case MetadataView.Unavailable u -> m.put("answered", false).put("reason", u.reason());
      case MetadataView.Answered a -> {
        m.put("answered", true);
        ArrayNode nodes = m.putArray("nodes");
        for (NodeView n : a.nodes()) {
          nodes.addObject().put("nodeId", n.nodeId()).put("az", n.az()).put("address", n.address())
              .put("health", n.health()).put("lastHeartbeatMs", n.lastHeartbeatMs());
        }
        ArrayNode tables = m.putArray("tables");
        for (TableView t : a.tables()) {
          ObjectNode tn = tables.addObject().put("name", t.name());
          ArrayNode parts = tn.putArray("partitions");
          for (PartitionView p : t.partitions()) {
            ObjectNode pn = parts.addObject().put("partitionId", p.partitionId());
            if (p.leaderHint().isBlank()) {
              pn.putNull("leader");
            } else {
              pn.put("leader", p.leaderHint());
            }
            p.replicas().forEach(pn.putArray("replicas")::add);
            if (!p.filling().isBlank()) {
              pn.putObject("filling").put("node", p.filling()).put("replacing", p.replacing());
            }
          }
        }
        m.put("partitionsOmitted", a.partitionsOmitted());
      }
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot render status as JSON", ex);
    }
  }
}
