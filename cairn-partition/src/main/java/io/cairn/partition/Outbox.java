package io.cairn.partition;

import io.cairn.core.Invariants;
import io.cairn.core.id.PartitionId;
import io.cairn.storage.KeyspaceId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A base partition's outbox of global-index changes, kept in the storage engine's metadata area.
 * Each record is written in the same batch as the base write that caused it and numbered by the
 * partition's outbox sequence, so after any crash the outbox holds exactly the changes of the
 * applied writes, in their order; the {@link IndexPropagator} drains it.
 *
 * <pre>
 * outbox/{partition:016x}/{sequence:016x} -> version 1 | count | (indexKeyspace, deleteKey?, putKey?, putValue?)*
 * outbox-seq/{partition:016x}             -> last sequence handed out (8 bytes)
 * </pre>
 */
public final class Outbox {
  static final String PREFIX = "outbox/";
  static final String SEQUENCE_PREFIX = "outbox-seq/";
  private static final byte FORMAT_VERSION = 1;

  private Outbox() {}

  /** One change to one global index: delete an entry, put an entry, or both (a moved entry). */
  public record Change(KeyspaceId index, byte[] deleteKey, byte[] putKey, byte[] putValue) {}

  /** A drained record: where it came from and what it says. */
  record Entry(String name, PartitionId partition, long sequence, List<Change> changes) {}

  static String name(PartitionId partition, long sequence) {
    return PREFIX + String.format("%016x/%016x", partition.value(), sequence);
  }

  static String partitionPrefix(PartitionId partition) {
    return PREFIX + String.format("%016x/", partition.value());
  }

  static String sequenceName(PartitionId partition) {
    return SEQUENCE_PREFIX + String.format("%016x", partition.value());
  }

  static Entry parse(String name, byte[] value) {
    String rest = name.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    PartitionId partition = new PartitionId(Long.parseUnsignedLong(rest.substring(0, slash), 16));
    long sequence = Long.parseUnsignedLong(rest.substring(slash + 1), 16);
    return new Entry(name, partition, sequence, decode(value));
  }

  static byte[] encode(List<Change> changes) {
    int size = 5;
    for (Change change : changes) {
      size += 8 + 12 + length(change.deleteKey()) + length(change.putKey()) + length(change.putValue());
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(FORMAT_VERSION);
    out.putInt(changes.size());
    for (Change change : changes) {
      out.putLong(change.index().value());
      putBytes(out, change.deleteKey());
      putBytes(out, change.putKey());
      putBytes(out, change.putValue());
    }
    Invariants.check(!out.hasRemaining(), "outbox record size miscounted");
    return out.array();
  }

  static List<Change> decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte version = in.get();
    Invariants.check(version == FORMAT_VERSION, "outbox record has unknown version %d", version);
    int count = in.getInt();
    Invariants.check(count >= 0 && count <= 1_000_000, "outbox record has %d changes", count);
    List<Change> changes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      KeyspaceId index = new KeyspaceId(in.getLong());
      changes.add(new Change(index, getBytes(in), getBytes(in), getBytes(in)));
    }
    Invariants.check(!in.hasRemaining(), "outbox record has %d trailing bytes", in.remaining());
    return changes;
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  private static void putBytes(ByteBuffer out, byte[] bytes) {
    if (bytes == null) {
      out.putInt(-1);
    } else {
      out.putInt(bytes.length);
      out.put(bytes);
    }
  }

  private static byte[] getBytes(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0) {
      return null;
    }
    Invariants.check(length <= in.remaining(), "outbox record: length %d beyond the end", length);
    byte[] bytes = new byte[length];
    in.get(bytes);
    return bytes;
  }

  static long decodeLong(byte[] bytes) {
    return bytes == null ? 0 : ByteBuffer.wrap(bytes).getLong();
  }

  static byte[] encodeLong(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }
}
