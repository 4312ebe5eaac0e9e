package io.cairn.metadata;

import io.cairn.core.Invariants;
import io.cairn.core.id.PartitionId;
import io.cairn.metadata.MetadataCommand.AllocateIds;
import io.cairn.metadata.MetadataCommand.CompareAndSetTable;
import io.cairn.metadata.MetadataCommand.CreateTable;
import io.cairn.metadata.MetadataCommand.DeleteTable;
import io.cairn.metadata.MetadataCommand.Heartbeat;
import io.cairn.metadata.MetadataCommand.RegisterNode;
import io.cairn.metadata.MetadataCommand.SetNodeHealth;
import io.cairn.metadata.MetadataCommand.SetPartitionReplicas;
import io.cairn.metadata.MetadataReply.AlreadyExists;
import io.cairn.metadata.MetadataReply.Conflict;
import io.cairn.metadata.MetadataReply.IdsAllocated;
import io.cairn.metadata.MetadataReply.NodeRecorded;
import io.cairn.metadata.MetadataReply.Nodes;
import io.cairn.metadata.MetadataReply.PartitionAbsent;
import io.cairn.metadata.MetadataReply.PartitionFound;
import io.cairn.metadata.MetadataReply.PartitionRecorded;
import io.cairn.metadata.MetadataReply.Rejected;
import io.cairn.metadata.MetadataReply.TableAbsent;
import io.cairn.metadata.MetadataReply.TableDeleted;
import io.cairn.metadata.MetadataReply.TableFound;
import io.cairn.metadata.MetadataReply.TableWritten;
import io.cairn.metadata.MetadataReply.Tables;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The metadata service's replicated state and the pure handling of its commands: command in, state
 * change and reply out. No clock, no I/O, no threads; not thread-safe (the Ratis driver applies
 * commands on one thread and guards queries with a lock).
 *
 * <p>{@code revision} counts changes to tables and partition assignments; a table's version and a
 * partition assignment's version are the revision of their last change. Versions therefore never
 * repeat, even when a table is deleted and created again under the same name.
 */
public final class MetadataState {
  /** Largest table definition accepted (the JSON of a table with a large partition map fits). */
  public static final int DEFINITION_BYTES_MAX = 4 * 1024 * 1024;
  /** Most ids handed out by one {@link AllocateIds}. */
  public static final int ID_BATCH_MAX = 1024;
  /** Longest table name, node id, AZ or address (DynamoDB table names are at most 255). */
  public static final int NAME_CHARS_MAX = 255;
  /** Most replicas of one partition (3 AZs; 5 leaves room for a replacement in flight). */
  public static final int REPLICAS_MAX = 5;

  private final TreeMap<String, TableRecord> tables = new TreeMap<>();
  private final TreeMap<String, NodeRecord> nodes = new TreeMap<>();
  private final TreeMap<Long, PartitionReplicas> partitions = new TreeMap<>();
  private long revision;
  private long nextTableId = 1;
  private long nextPartitionId = 1;

  public long revision() {
    return revision;
  }

  /** Applies one command. Deterministic: the same commands in the same order give the same state. */
  public MetadataReply apply(MetadataCommand command) {
    return switch (command) {
      case CreateTable c -> createTable(c);
      case CompareAndSetTable c -> compareAndSetTable(c);
      case DeleteTable c -> deleteTable(c);
      case AllocateIds c -> allocateIds(c);
      case RegisterNode c -> registerNode(c);
      case Heartbeat c -> heartbeat(c);
      case SetNodeHealth c -> setNodeHealth(c);
      case SetPartitionReplicas c -> setPartitionReplicas(c);
      case MetadataCommand.BeginReplacement c -> beginReplacement(c);
      case MetadataCommand.FinishReplacement c -> finishReplacement(c);
      case MetadataCommand.AbandonReplacement c -> abandonReplacement(c);
    };
  }

  /** Answers a read; never changes the state. */
  public MetadataReply query(MetadataQuery query) {
    return switch (query) {
      case MetadataQuery.GetTable q -> {
        TableRecord table = tables.get(q.name());
        yield table == null ? new TableAbsent(q.name(), revision) : new TableFound(table, revision);
      }
      case MetadataQuery.ListTables q -> new Tables(new ArrayList<>(tables.values()), revision);
      case MetadataQuery.GetPartition q -> {
        PartitionReplicas p = partitions.get(q.partitionId().value());
        yield p == null ? new PartitionAbsent(q.partitionId().value(), revision) : new PartitionFound(p, revision);
      }
      case MetadataQuery.ListNodes q -> new Nodes(new ArrayList<>(nodes.values()), revision);
      case MetadataQuery.ListPartitions q -> new MetadataReply.Partitions(new ArrayList<>(partitions.values()), revision);
    };
  }

  private MetadataReply createTable(CreateTable c) {
    String invalid = checkTable(c.name(), c.definition());
    if (invalid != null) {
      return new Rejected(invalid);
    }
    TableRecord existing = tables.get(c.name());
    if (existing != null) {
      return new AlreadyExists(c.name(), existing.version());
    }
    long version = ++revision;
    tables.put(c.name(), new TableRecord(c.name(), version, c.definition().clone()));
    return new TableWritten(c.name(), version);
  }

  private MetadataReply compareAndSetTable(CompareAndSetTable c) {
    String invalid = checkTable(c.name(), c.definition());
    if (invalid != null) {
      return new Rejected(invalid);
    }
    TableRecord existing = tables.get(c.name());
    long current = existing == null ? 0 : existing.version();
    if (existing == null || current != c.expectedVersion()) {
      return new Conflict("table " + c.name(), c.expectedVersion(), current);
    }
    long version = ++revision;
    tables.put(c.name(), new TableRecord(c.name(), version, c.definition().clone()));
    return new TableWritten(c.name(), version);
  }

  private MetadataReply deleteTable(DeleteTable c) {
    TableRecord existing = tables.get(c.name());
    if (existing == null) {
      return new Conflict("table " + c.name(), c.expectedVersion(), 0);
    }
    if (c.expectedVersion() != MetadataCommand.ANY_VERSION && c.expectedVersion() != existing.version()) {
      return new Conflict("table " + c.name(), c.expectedVersion(), existing.version());
    }
    tables.remove(c.name());
    return new TableDeleted(c.name(), ++revision);
  }

  private MetadataReply allocateIds(AllocateIds c) {
    if (c.count() < 1 || c.count() > ID_BATCH_MAX) {
      return new Rejected("id count must be 1.." + ID_BATCH_MAX + ": " + c.count());
    }
    long first =
        switch (c.kind()) {
          case TABLE -> {
            long f = nextTableId;
            nextTableId = Math.addExact(nextTableId, c.count());
            yield f;
          }
          case PARTITION -> {
            long f = nextPartitionId;
            nextPartitionId = Math.addExact(nextPartitionId, c.count());
            yield f;
          }
        };
    return new IdsAllocated(c.kind(), first, c.count());
  }

  private MetadataReply registerNode(RegisterNode c) {
    for (String s : List.of(c.nodeId(), c.az(), c.address())) {
      if (s.isEmpty() || s.length() > NAME_CHARS_MAX) {
        return new Rejected("node id, AZ and address must be 1.." + NAME_CHARS_MAX + " characters");
      }
    }
    NodeRecord node = new NodeRecord(c.nodeId(), c.az(), c.address(), c.atMs(), NodeHealth.UP);
    NodeRecord previous = nodes.get(c.nodeId());
    if (previous != null && !previous.az().equals(c.az())) {
      // A node id names a machine in one AZ; moving it would silently break placement.
      return new Rejected("node " + c.nodeId() + " is registered in " + previous.az() + ", not " + c.az());
    }
    nodes.put(c.nodeId(), node);
    return new NodeRecorded(node);
  }

  private MetadataReply heartbeat(Heartbeat c) {
    NodeRecord node = nodes.get(c.nodeId());
    if (node == null) {
      return new Rejected("unknown node " + c.nodeId() + ": register first");
    }
    // Heartbeats may arrive out of order across a leader change; time never goes backwards.
    long at = Math.max(node.lastHeartbeatMs(), c.atMs());
    NodeRecord next = new NodeRecord(node.nodeId(), node.az(), node.address(), at, node.health());
    nodes.put(c.nodeId(), next);
    // Leader hints follow what the leaders say; a hint is a hint (the group is the authority), so
    // it changes without a new assignment version and routers keep their cached assignment.
    for (PartitionId led : c.leading()) {
      PartitionReplicas p = partitions.get(led.value());
      if (p != null && p.replicaNodeIds().contains(c.nodeId()) && !p.leaderHint().equals(c.nodeId())) {
        partitions.put(led.value(), p.withLeaderHint(c.nodeId()));
      }
    }
    return new NodeRecorded(next);
  }

  private MetadataReply setNodeHealth(SetNodeHealth c) {
    NodeRecord node = nodes.get(c.nodeId());
    if (node == null) {
      return new Rejected("unknown node " + c.nodeId());
    }
    NodeRecord next = new NodeRecord(node.nodeId(), node.az(), node.address(), node.lastHeartbeatMs(), c.health());
    nodes.put(c.nodeId(), next);
    return new NodeRecorded(next);
  }

  private MetadataReply setPartitionReplicas(SetPartitionReplicas c) {
    if (c.replicaNodeIds().size() > REPLICAS_MAX) {
      return new Rejected("at most " + REPLICAS_MAX + " replicas: " + c.replicaNodeIds());
    }
    if (new HashSet<>(c.replicaNodeIds()).size() != c.replicaNodeIds().size()) {
      return new Rejected("duplicate replica: " + c.replicaNodeIds());
    }
    for (String nodeId : c.replicaNodeIds()) {
      if (!nodes.containsKey(nodeId)) {
        return new Rejected("unknown node " + nodeId);
      }
    }
    if (!c.leaderHint().isEmpty() && !c.replicaNodeIds().contains(c.leaderHint())) {
      return new Rejected("leader hint " + c.leaderHint() + " is not a replica of " + c.partitionId());
    }
    long key = c.partitionId().value();
    PartitionReplicas existing = partitions.get(key);
    long current = existing == null ? 0 : existing.version();
    if (c.expectedVersion() != MetadataCommand.ANY_VERSION && c.expectedVersion() != current) {
      return new Conflict("partition " + c.partitionId(), c.expectedVersion(), current);
    }
    long version = ++revision;
    PartitionReplicas next = new PartitionReplicas(c.partitionId(), c.replicaNodeIds(), c.leaderHint(), version);
    if (c.replicaNodeIds().isEmpty()) {
      partitions.remove(key);
    } else {
      partitions.put(key, next);
    }
    return new PartitionRecorded(next);
  }

  private MetadataReply beginReplacement(MetadataCommand.BeginReplacement c) {
    PartitionReplicas p = partitions.get(c.partitionId().value());
    Conflict conflict = checkVersion(c.partitionId(), p, c.expectedVersion());
    if (conflict != null) {
      return conflict;
    }
    if (p.replacement().isPresent()) {
      return new Rejected("partition " + c.partitionId() + " is already replacing "
          + p.replacement().get().replacedNodeId() + " with " + p.replacement().get().fillingNodeId());
    }
    if (!p.replicaNodeIds().contains(c.replacedNodeId())) {
      return new Rejected(c.replacedNodeId() + " is not a replica of " + c.partitionId());
    }
    if (p.replicaNodeIds().contains(c.fillingNodeId())) {
      return new Rejected(c.fillingNodeId() + " is already a replica of " + c.partitionId());
    }
    if (!nodes.containsKey(c.fillingNodeId())) {
      return new Rejected("unknown node " + c.fillingNodeId());
    }
    return recordNextVersion(p, p.replicaNodeIds(), p.leaderHint(),
        Optional.of(new PartitionReplicas.Replacement(c.fillingNodeId(), c.replacedNodeId())));
  }

  private MetadataReply finishReplacement(MetadataCommand.FinishReplacement c) {
    PartitionReplicas p = partitions.get(c.partitionId().value());
    MetadataReply refused = checkReplacementInProgress(c.partitionId(), p, c.expectedVersion());
    if (refused != null) {
      return refused;
    }
    // The replaced node no longer leads: it is not in the group any more.
    String hint = p.leaderHint().equals(p.replacement().get().replacedNodeId()) ? "" : p.leaderHint();
    return recordNextVersion(p, p.replicaNodeIdsAfterReplacement(), hint, Optional.empty());
  }

  private MetadataReply abandonReplacement(MetadataCommand.AbandonReplacement c) {
    PartitionReplicas p = partitions.get(c.partitionId().value());
    MetadataReply refused = checkReplacementInProgress(c.partitionId(), p, c.expectedVersion());
    if (refused != null) {
      return refused;
    }
    return recordNextVersion(p, p.replicaNodeIds(), p.leaderHint(), Optional.empty());
  }

  /** A conflict or rejection unless the partition is at {@code expected} with a replacement under way; else null. */
  private static MetadataReply checkReplacementInProgress(PartitionId partitionId, PartitionReplicas p, long expected) {
    Conflict conflict = checkVersion(partitionId, p, expected);
    if (conflict != null) {
      return conflict;
    }
    return p.replacement().isEmpty()
        ? new Rejected("partition " + partitionId + " has no replacement in progress") : null;
  }

  /** Stores the partition's next version (a new revision) and answers with it. */
  private PartitionRecorded recordNextVersion(PartitionReplicas p, java.util.List<String> replicaNodeIds,
      String leaderHint, Optional<PartitionReplicas.Replacement> replacement) {
    PartitionReplicas next = new PartitionReplicas(p.partitionId(), replicaNodeIds, leaderHint, ++revision, replacement);
    partitions.put(p.partitionId().value(), next);
    return new PartitionRecorded(next);
  }

  /** A conflict if the partition is absent or not at {@code expected} (unless ANY_VERSION); else null. */
  private static Conflict checkVersion(PartitionId partitionId, PartitionReplicas p, long expected) {
    long current = p == null ? 0 : p.version();
    if (p == null || (expected != MetadataCommand.ANY_VERSION && expected != current)) {
      return new Conflict("partition " + partitionId, expected, current);
    }
    return null;
  }

  private static String checkTable(String name, byte[] definition) {
    if (name.isEmpty() || name.length() > NAME_CHARS_MAX) {
      return "table name must be 1.." + NAME_CHARS_MAX + " characters";
    }
    if (definition.length > DEFINITION_BYTES_MAX) {
      return "table definition is " + definition.length + " bytes; at most " + DEFINITION_BYTES_MAX;
    }
    return null;
  }

  // ---- snapshots -------------------------------------------------------------------------------

  private static final int SNAPSHOT_MAGIC = 0x4341_4d44; // "CAMD"
  /** Format 1 wrote partitions without a replacement; format 2 (now written) carries it. */
  private static final int SNAPSHOT_FORMAT_V1 = 1;
  private static final int SNAPSHOT_FORMAT = 2;

  /** Writes the whole state; {@link #readFrom} gives back an equal state. */
  public void writeTo(DataOutputStream out) throws IOException {
    out.writeInt(SNAPSHOT_MAGIC);
    out.writeInt(SNAPSHOT_FORMAT);
    out.writeLong(revision);
    out.writeLong(nextTableId);
    out.writeLong(nextPartitionId);
    out.writeInt(tables.size());
    for (TableRecord t : tables.values()) {
      MetadataCodec.writeTable(out, t);
    }
    out.writeInt(nodes.size());
    for (NodeRecord n : nodes.values()) {
      MetadataCodec.writeNode(out, n);
    }
    out.writeInt(partitions.size());
    for (PartitionReplicas p : partitions.values()) {
      MetadataCodec.writePartitionV2(out, p);
    }
    out.writeInt(SNAPSHOT_MAGIC);
  }

  public static MetadataState readFrom(DataInputStream in) throws IOException {
    Invariants.check(in.readInt() == SNAPSHOT_MAGIC, "metadata snapshot magic");
    int format = in.readInt();
    Invariants.check(format == SNAPSHOT_FORMAT || format == SNAPSHOT_FORMAT_V1, "metadata snapshot format %d", format);
    MetadataState s = new MetadataState();
    s.revision = in.readLong();
    s.nextTableId = in.readLong();
    s.nextPartitionId = in.readLong();
    for (int i = 0, n = in.readInt(); i < n; i++) {
      TableRecord t = MetadataCodec.readTable(in);
      s.tables.put(t.name(), t);
    }
    for (int i = 0, n = in.readInt(); i < n; i++) {
      NodeRecord node = MetadataCodec.readNode(in);
      s.nodes.put(node.nodeId(), node);
    }
    for (int i = 0, n = in.readInt(); i < n; i++) {
      PartitionReplicas p = format == SNAPSHOT_FORMAT_V1 ? MetadataCodec.readPartition(in)
          : MetadataCodec.readPartitionV2(in);
      s.partitions.put(p.partitionId().value(), p);
    }
    Invariants.check(in.readInt() == SNAPSHOT_MAGIC, "metadata snapshot trailer (truncated?)");
    s.checkInvariants();
    return s;
  }

  /** Always-on consistency checks, run after loading a snapshot. */
  public void checkInvariants() {
    for (TableRecord t : tables.values()) {
      Invariants.check(t.version() <= revision, "table %s version %d > revision %d", t.name(), t.version(), revision);
    }
    for (PartitionReplicas p : partitions.values()) {
      Invariants.check(p.version() <= revision, "partition %s version > revision", p.partitionId());
      for (String nodeId : p.replicaNodeIds()) {
        Invariants.check(nodes.containsKey(nodeId), "partition %s on unknown node %s", p.partitionId(), nodeId);
      }
      p.replacement().ifPresent(r -> {
        Invariants.check(p.replicaNodeIds().contains(r.replacedNodeId()) && !p.replicaNodeIds().contains(r.fillingNodeId())
            && nodes.containsKey(r.fillingNodeId()), "partition %s: replacement %s does not fit replicas %s",
            p.partitionId(), r, p.replicaNodeIds());
      });
    }
    Invariants.check(nextTableId >= 1 && nextPartitionId >= 1, "id counters start at 1");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MetadataState s
        && s.revision == revision
        && s.nextTableId == nextTableId
        && s.nextPartitionId == nextPartitionId
        && s.tables.equals(tables)
        && s.nodes.equals(nodes)
        && s.partitions.equals(partitions);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(revision);
  }
}
