package io.cairn.metadata;

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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of commands (the Ratis log entries), queries and replies, and of the records in
 * a snapshot. One tag byte per message; a tag never changes meaning once released, because log
 * entries and snapshots outlive the code that wrote them.
 */
public final class MetadataCodec {
  private MetadataCodec() {}

  /** Limit on a decoded list, so a corrupt length cannot allocate gigabytes. */
  private static final int LIST_SIZE_MAX = 10_000_000;

  // command tags 1..31, query tags 32..63, reply tags 64..127
  private static final byte CREATE_TABLE = 1, CAS_TABLE = 2, DELETE_TABLE = 3, ALLOCATE_IDS = 4,
      REGISTER_NODE = 5, HEARTBEAT = 6, SET_NODE_HEALTH = 7, SET_PARTITION_REPLICAS = 8,
      HEARTBEAT_WITH_LEADERS = 9, BEGIN_REPLACEMENT = 10, FINISH_REPLACEMENT = 11, ABANDON_REPLACEMENT = 12;
  private static final byte GET_TABLE = 32, LIST_TABLES = 33, GET_PARTITION = 34, LIST_NODES = 35, LIST_PARTITIONS = 36;
  private static final byte TABLE_WRITTEN = 64, TABLE_DELETED = 65, TABLE_FOUND = 66, TABLE_ABSENT = 67,
      TABLES = 68, ALREADY_EXISTS = 69, CONFLICT = 70, IDS_ALLOCATED = 71, NODE_RECORDED = 72, NODES = 73,
      PARTITION_RECORDED = 74, PARTITION_FOUND = 75, PARTITION_ABSENT = 76, REJECTED = 77, PARTITIONS = 78;
  // Replies that carry partition assignments in format 2 (with the replacement in progress); the
  // format-1 tags above are still read, so a reply from a member running the older code decodes.
  private static final byte PARTITION_RECORDED_V2 = 79, PARTITION_FOUND_V2 = 80, PARTITIONS_V2 = 81;

  public static byte[] encode(MetadataCommand command) {
    return write(out -> {
      switch (command) {
        case CreateTable c -> {
          out.writeByte(CREATE_TABLE);
          out.writeUTF(c.name());
          writeBytes(out, c.definition());
        }
        case CompareAndSetTable c -> {
          out.writeByte(CAS_TABLE);
          out.writeUTF(c.name());
          out.writeLong(c.expectedVersion());
          writeBytes(out, c.definition());
        }
        case DeleteTable c -> {
          out.writeByte(DELETE_TABLE);
          out.writeUTF(c.name());
          out.writeLong(c.expectedVersion());
        }
        case AllocateIds c -> {
          out.writeByte(ALLOCATE_IDS);
          out.writeByte(c.kind().ordinal());
          out.writeInt(c.count());
        }
        case RegisterNode c -> {
          out.writeByte(REGISTER_NODE);
          out.writeUTF(c.nodeId());
          out.writeUTF(c.az());
          out.writeUTF(c.address());
          out.writeLong(c.atMs());
        }
        case Heartbeat c -> {
          out.writeByte(HEARTBEAT_WITH_LEADERS);
          out.writeUTF(c.nodeId());
          out.writeLong(c.atMs());
          out.writeInt(c.leading().size());
          for (PartitionId led : c.leading()) {
            out.writeLong(led.value());
          }
        }
        case SetNodeHealth c -> {
          out.writeByte(SET_NODE_HEALTH);
          out.writeUTF(c.nodeId());
          out.writeByte(c.health().ordinal());
        }
        case SetPartitionReplicas c -> {
          out.writeByte(SET_PARTITION_REPLICAS);
          out.writeLong(c.partitionId().value());
          writeStrings(out, c.replicaNodeIds());
          out.writeUTF(c.leaderHint());
          out.writeLong(c.expectedVersion());
        }
        case MetadataCommand.BeginReplacement c -> {
          out.writeByte(BEGIN_REPLACEMENT);
          out.writeLong(c.partitionId().value());
          out.writeUTF(c.fillingNodeId());
          out.writeUTF(c.replacedNodeId());
          out.writeLong(c.expectedVersion());
        }
        case MetadataCommand.FinishReplacement c -> {
          out.writeByte(FINISH_REPLACEMENT);
          out.writeLong(c.partitionId().value());
          out.writeLong(c.expectedVersion());
        }
        case MetadataCommand.AbandonReplacement c -> {
          out.writeByte(ABANDON_REPLACEMENT);
          out.writeLong(c.partitionId().value());
          out.writeLong(c.expectedVersion());
        }
      }
    });
  }

  public static MetadataCommand decodeCommand(byte[] bytes) {
    return read(bytes, in -> {
      byte tag = in.readByte();
      return switch (tag) {
        case CREATE_TABLE -> new CreateTable(in.readUTF(), readBytes(in));
        case CAS_TABLE -> new CompareAndSetTable(in.readUTF(), in.readLong(), readBytes(in));
        case DELETE_TABLE -> new DeleteTable(in.readUTF(), in.readLong());
        case ALLOCATE_IDS -> new AllocateIds(IdKind.values()[in.readByte()], in.readInt());
        case REGISTER_NODE -> new RegisterNode(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong());
        case HEARTBEAT -> new Heartbeat(in.readUTF(), in.readLong());
        case HEARTBEAT_WITH_LEADERS -> {
          String nodeId = in.readUTF();
          long atMs = in.readLong();
          int count = readSize(in);
          List<PartitionId> leading = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            leading.add(new PartitionId(in.readLong()));
          }
          yield new Heartbeat(nodeId, atMs, leading);
        }
        case SET_NODE_HEALTH -> new SetNodeHealth(in.readUTF(), NodeHealth.values()[in.readByte()]);
        case SET_PARTITION_REPLICAS ->
            new SetPartitionReplicas(new PartitionId(in.readLong()), readStrings(in), in.readUTF(), in.readLong());
        case BEGIN_REPLACEMENT -> new MetadataCommand.BeginReplacement(new PartitionId(in.readLong()), in.readUTF(),
            in.readUTF(), in.readLong());
        case FINISH_REPLACEMENT -> new MetadataCommand.FinishReplacement(new PartitionId(in.readLong()), in.readLong());
        case ABANDON_REPLACEMENT -> new MetadataCommand.AbandonReplacement(new PartitionId(in.readLong()), in.readLong());
        default -> throw new IllegalArgumentException("unknown metadata command tag " + tag);
      };
    });
  }

  public static byte[] encode(MetadataQuery query) {
    return write(out -> {
      switch (query) {
        case MetadataQuery.GetTable q -> {
          out.writeByte(GET_TABLE);
          out.writeUTF(q.name());
        }
        case MetadataQuery.ListTables q -> out.writeByte(LIST_TABLES);
        case MetadataQuery.GetPartition q -> {
          out.writeByte(GET_PARTITION);
          out.writeLong(q.partitionId().value());
        }
        case MetadataQuery.ListNodes q -> out.writeByte(LIST_NODES);
        case MetadataQuery.ListPartitions q -> out.writeByte(LIST_PARTITIONS);
      }
    });
  }

  public static MetadataQuery decodeQuery(byte[] bytes) {
    return read(bytes, in -> {
      byte tag = in.readByte();
      return switch (tag) {
        case GET_TABLE -> new MetadataQuery.GetTable(in.readUTF());
        case LIST_TABLES -> new MetadataQuery.ListTables();
        case GET_PARTITION -> new MetadataQuery.GetPartition(new PartitionId(in.readLong()));
        case LIST_NODES -> new MetadataQuery.ListNodes();
        case LIST_PARTITIONS -> new MetadataQuery.ListPartitions();
        default -> throw new IllegalArgumentException("unknown metadata query tag " + tag);
      };
    });
  }

  public static byte[] encode(MetadataReply reply) {
    return write(out -> {
      switch (reply) {
        case TableWritten r -> {
          out.writeByte(TABLE_WRITTEN);
          out.writeUTF(r.name());
          out.writeLong(r.version());
        }
        case TableDeleted r -> {
          out.writeByte(TABLE_DELETED);
          out.writeUTF(r.name());
          out.writeLong(r.revision());
        }
        case TableFound r -> {
          out.writeByte(TABLE_FOUND);
          writeTable(out, r.table());
          out.writeLong(r.revision());
        }
        case TableAbsent r -> {
          out.writeByte(TABLE_ABSENT);
          out.writeUTF(r.name());
          out.writeLong(r.revision());
        }
        case Tables r -> {
          out.writeByte(TABLES);
          out.writeInt(r.tables().size());
          for (TableRecord t : r.tables()) {
            writeTable(out, t);
          }
          out.writeLong(r.revision());
        }
        case AlreadyExists r -> {
          out.writeByte(ALREADY_EXISTS);
          out.writeUTF(r.name());
          out.writeLong(r.currentVersion());
        }
        case Conflict r -> {
          out.writeByte(CONFLICT);
          out.writeUTF(r.what());
          out.writeLong(r.expectedVersion());
          out.writeLong(r.currentVersion());
        }
        case IdsAllocated r -> {
          out.writeByte(IDS_ALLOCATED);
          out.writeByte(r.kind().ordinal());
          out.writeLong(r.first());
          out.writeInt(r.count());
        }
        case NodeRecorded r -> {
          out.writeByte(NODE_RECORDED);
          writeNode(out, r.node());
        }
        case Nodes r -> {
          out.writeByte(NODES);
          out.writeInt(r.nodes().size());
          for (NodeRecord n : r.nodes()) {
            writeNode(out, n);
          }
          out.writeLong(r.revision());
        }
        case PartitionRecorded r -> {
          out.writeByte(PARTITION_RECORDED_V2);
          writePartitionV2(out, r.partition());
        }
        case MetadataReply.Partitions r -> {
          out.writeByte(PARTITIONS_V2);
          out.writeInt(r.partitions().size());
          for (PartitionReplicas p : r.partitions()) {
            writePartitionV2(out, p);
          }
          out.writeLong(r.revision());
        }
        case PartitionFound r -> {
          out.writeByte(PARTITION_FOUND_V2);
          writePartitionV2(out, r.partition());
          out.writeLong(r.revision());
        }
        case PartitionAbsent r -> {
          out.writeByte(PARTITION_ABSENT);
          out.writeLong(r.partitionId());
          out.writeLong(r.revision());
        }
        case Rejected r -> {
          out.writeByte(REJECTED);
          out.writeUTF(r.reason());
        }
      }
    });
  }

  public static MetadataReply decodeReply(byte[] bytes) {
    return read(bytes, in -> {
      byte tag = in.readByte();
      return switch (tag) {
        case TABLE_WRITTEN -> new TableWritten(in.readUTF(), in.readLong());
        case TABLE_DELETED -> new TableDeleted(in.readUTF(), in.readLong());
        case TABLE_FOUND -> new TableFound(readTable(in), in.readLong());
        case TABLE_ABSENT -> new TableAbsent(in.readUTF(), in.readLong());
        case TABLES -> {
          int n = readSize(in);
          List<TableRecord> tables = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            tables.add(readTable(in));
          }
          yield new Tables(tables, in.readLong());
        }
        case ALREADY_EXISTS -> new AlreadyExists(in.readUTF(), in.readLong());
        case CONFLICT -> new Conflict(in.readUTF(), in.readLong(), in.readLong());
        case IDS_ALLOCATED -> new IdsAllocated(IdKind.values()[in.readByte()], in.readLong(), in.readInt());
        case NODE_RECORDED -> new NodeRecorded(readNode(in));
        case NODES -> {
          int n = readSize(in);
          List<NodeRecord> nodes = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            nodes.add(readNode(in));
          }
          yield new Nodes(nodes, in.readLong());
        }
        case PARTITION_RECORDED -> new PartitionRecorded(readPartition(in));
        case PARTITION_RECORDED_V2 -> new PartitionRecorded(readPartitionV2(in));
        case PARTITION_FOUND -> new PartitionFound(readPartition(in), in.readLong());
        case PARTITION_FOUND_V2 -> new PartitionFound(readPartitionV2(in), in.readLong());
        case PARTITIONS, PARTITIONS_V2 -> {
          int count = readSize(in);
          List<PartitionReplicas> partitions = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            partitions.add(tag == PARTITIONS ? readPartition(in) : readPartitionV2(in));
          }
          yield new MetadataReply.Partitions(partitions, in.readLong());
        }
        case PARTITION_ABSENT -> new PartitionAbsent(in.readLong(), in.readLong());
        case REJECTED -> new Rejected(in.readUTF());
        default -> throw new IllegalArgumentException("unknown metadata reply tag " + tag);
      };
    });
  }

  // ---- records (shared with snapshots) ---------------------------------------------------------

  static void writeTable(DataOutputStream out, TableRecord t) throws IOException {
    out.writeUTF(t.name());
    out.writeLong(t.version());
    writeBytes(out, t.definition());
  }

  static TableRecord readTable(DataInputStream in) throws IOException {
    return new TableRecord(in.readUTF(), in.readLong(), readBytes(in));
  }

  static void writeNode(DataOutputStream out, NodeRecord n) throws IOException {
    out.writeUTF(n.nodeId());
    out.writeUTF(n.az());
    out.writeUTF(n.address());
    out.writeLong(n.lastHeartbeatMs());
    out.writeByte(n.health().ordinal());
  }

  static NodeRecord readNode(DataInputStream in) throws IOException {
    return new NodeRecord(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), NodeHealth.values()[in.readByte()]);
  }

  /** Format 1 of an assignment; written only as the first part of format 2. */
  static void writePartition(DataOutputStream out, PartitionReplicas p) throws IOException {
    out.writeLong(p.partitionId().value());
    writeStrings(out, p.replicaNodeIds());
    out.writeUTF(p.leaderHint());
    out.writeLong(p.version());
  }

  /** Format 1 of an assignment: no replacement. Read only (old snapshots and replies). */
  static PartitionReplicas readPartition(DataInputStream in) throws IOException {
    return new PartitionReplicas(new PartitionId(in.readLong()), readStrings(in), in.readUTF(), in.readLong());
  }

  /** Format 2: format 1's fields, then a flag and, if set, the filling and the replaced node. */
  static void writePartitionV2(DataOutputStream out, PartitionReplicas p) throws IOException {
    writePartition(out, p);
    out.writeBoolean(p.replacement().isPresent());
    if (p.replacement().isPresent()) {
      out.writeUTF(p.replacement().get().fillingNodeId());
      out.writeUTF(p.replacement().get().replacedNodeId());
    }
  }

  static PartitionReplicas readPartitionV2(DataInputStream in) throws IOException {
    PartitionReplicas p = readPartition(in);
    if (!in.readBoolean()) {
      return p;
    }
    return new PartitionReplicas(p.partitionId(), p.replicaNodeIds(), p.leaderHint(), p.version(),
        java.util.Optional.of(new PartitionReplicas.Replacement(in.readUTF(), in.readUTF())));
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MetadataState.DEFINITION_BYTES_MAX + 1) {
      throw new IOException("corrupt byte-string length " + n);
    }
    return in.readNBytes(n);
  }

  private static void writeStrings(DataOutputStream out, List<String> strings) throws IOException {
    out.writeInt(strings.size());
    for (String s : strings) {
      out.writeUTF(s);
    }
  }

  private static List<String> readStrings(DataInputStream in) throws IOException {
    int n = readSize(in);
    List<String> strings = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      strings.add(in.readUTF());
    }
    return strings;
  }

  private static int readSize(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > LIST_SIZE_MAX) {
      throw new IOException("corrupt list size " + n);
    }
    return n;
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] bytes, Reader<T> reader) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      T value = reader.read(in);
      if (in.available() != 0) {
        throw new IllegalArgumentException("trailing bytes after metadata message");
      }
      return value;
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt metadata message", e);
    }
  }
}
