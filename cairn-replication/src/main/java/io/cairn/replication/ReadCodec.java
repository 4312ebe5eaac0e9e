package io.cairn.replication;

import io.cairn.core.Invariants;
import io.cairn.core.value.AttributeValue;
import io.cairn.storage.Direction;
import io.cairn.storage.ItemCodec;
import io.cairn.storage.KeyRange;
import io.cairn.storage.KeyspaceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Read-only queries a division answers from its engine, and their replies. Every request starts
 * {@code version:u8, kind:u8}:
 *
 * <ul>
 *   <li>GET {@code storageKey:bytes} → {@code found:u8, [value:bytes]} (stored ItemCodec bytes);
 *   <li>RANGE {@code lower:bytes, upper:bytes, reverse:u8, itemsMax:u32, bytesMax:u32} → {@code
 *       count:u32, (key:bytes, value:bytes)*, more:u8}: one page of a key range, at most itemsMax
 *       items and about bytesMax bytes (the item that crosses it is included); the reader resumes
 *       after the last key while {@code more};
 *   <li>COLLECTION {@code baseKeyspace:u64, partitionKey:item} → {@code bytes:u64};
 *   <li>STATS {@code localIndexKeyspace:u64} → {@code itemCount:u64, sizeBytes:u64}: of the partition
 *       when the keyspace is 0, else of that local index's entries in the partition.
 * </ul>
 */
public final class ReadCodec {
  public static final int VERSION = 1;
  private static final int GET = 1;
  private static final int RANGE = 2;
  private static final int COLLECTION = 3;
  private static final int STATS = 4;
  /** Most items one range page carries, whatever the reader asks. */
  public static final int PAGE_ITEMS_MAX = 10_000;
  /** Most bytes one range page carries (a Query page is 1 MB before its filter). */
  public static final int PAGE_BYTES_MAX = 2 * 1024 * 1024;
  private static final String PARTITION_KEY = "k";

  private ReadCodec() {}

  /** A decoded request. */
  public sealed interface Request {}

  public record Get(byte[] storageKey) implements Request {}

  public record Range(KeyRange range, Direction direction, int itemsMax, int bytesMax) implements Request {}

  public record Collection(KeyspaceId base, AttributeValue partitionKey) implements Request {}

  /** @param localIndex a local index's keyspace, or null for the partition's own items */
  public record Stats(KeyspaceId localIndex) implements Request {}

  /** One page of a range read. */
  public record Page(List<byte[]> keys, List<byte[]> values, boolean more) {}

  public static byte[] encodeGet(byte[] storageKey) {
    Bytes.Writer out = header(storageKey.length + 8, GET);
    out.bytes(storageKey);
    return out.toByteArray();
  }

  public static byte[] encodeRange(KeyRange range, Direction direction, int itemsMax, int bytesMax) {
    Invariants.check(itemsMax >= 1 && itemsMax <= PAGE_ITEMS_MAX, "range page of %s items", itemsMax);
    Invariants.check(bytesMax >= 1 && bytesMax <= PAGE_BYTES_MAX, "range page of %s bytes", bytesMax);
    byte[] lower = range.lowerInclusive();
    byte[] upper = range.upperExclusive();
    Bytes.Writer out = header(lower.length + upper.length + 24, RANGE);
    out.bytes(lower);
    out.bytes(upper);
    out.u8(direction == Direction.REVERSE ? 1 : 0);
    out.u32(itemsMax);
    out.u32(bytesMax);
    return out.toByteArray();
  }

  public static byte[] encodeCollection(KeyspaceId base, AttributeValue partitionKey) {
    byte[] key = ItemCodec.encode(Map.of(PARTITION_KEY, partitionKey));
    Bytes.Writer out = header(key.length + 16, COLLECTION);
    out.u64(base.value());
    out.bytes(key);
    return out.toByteArray();
  }

  public static byte[] encodeStats(KeyspaceId localIndex) {
    Bytes.Writer out = header(10, STATS);
    out.u64(localIndex == null ? 0 : localIndex.value());
    return out.toByteArray();
  }

  private static Bytes.Writer header(int capacity, int kind) {
    Bytes.Writer out = new Bytes.Writer(capacity);
    out.u8(VERSION);
    out.u8(kind);
    return out;
  }

  public static Request decode(byte[] request) {
    Bytes.Reader in = new Bytes.Reader(request);
    int version = in.u8();
    Invariants.check(version == VERSION, "unknown read version %s", version);
    int kind = in.u8();
    return switch (kind) {
      case GET -> new Get(in.bytes());
      case RANGE -> {
        KeyRange range = new KeyRange(in.bytes(), in.bytes());
        Direction direction = in.u8() == 1 ? Direction.REVERSE : Direction.FORWARD;
        int itemsMax = in.u32();
        int bytesMax = in.u32();
        Invariants.check(itemsMax >= 1 && itemsMax <= PAGE_ITEMS_MAX && bytesMax >= 1 && bytesMax <= PAGE_BYTES_MAX,
            "range page limits %s items, %s bytes", itemsMax, bytesMax);
        yield new Range(range, direction, itemsMax, bytesMax);
      }
      case COLLECTION -> new Collection(new KeyspaceId(in.u64()), ItemCodec.decode(in.bytes()).get(PARTITION_KEY));
      case STATS -> {
        long keyspace = in.u64();
        yield new Stats(keyspace == 0 ? null : new KeyspaceId(keyspace));
      }
      default -> throw new IllegalArgumentException("unknown read kind " + kind);
    };
  }

  public static byte[] encodeValue(byte[] value) {
    Bytes.Writer out = new Bytes.Writer(value == null ? 1 : value.length + 5);
    out.u8(value == null ? 0 : 1);
    if (value != null) {
      out.bytes(value);
    }
    return out.toByteArray();
  }

  /** The stored bytes, or null when the key is absent. */
  public static byte[] decodeValue(byte[] reply) {
    Bytes.Reader in = new Bytes.Reader(reply);
    return in.u8() == 0 ? null : in.bytes();
  }

  public static byte[] encodePage(Page page) {
    int size = 8;
    for (int i = 0; i < page.keys().size(); i++) {
      size += page.keys().get(i).length + page.values().get(i).length + 8;
    }
    Bytes.Writer out = new Bytes.Writer(size);
    out.u32(page.keys().size());
    for (int i = 0; i < page.keys().size(); i++) {
      out.bytes(page.keys().get(i));
      out.bytes(page.values().get(i));
    }
    out.u8(page.more() ? 1 : 0);
    return out.toByteArray();
  }

  public static Page decodePage(byte[] reply) {
    Bytes.Reader in = new Bytes.Reader(reply);
    int count = in.u32();
    Invariants.check(count >= 0 && count <= PAGE_ITEMS_MAX, "range page of %s items", count);
    List<byte[]> keys = new ArrayList<>(count);
    List<byte[]> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      keys.add(in.bytes());
      values.add(in.bytes());
    }
    return new Page(keys, values, in.u8() == 1);
  }

  public static byte[] encodeLongs(long a, long b) {
    Bytes.Writer out = new Bytes.Writer(16);
    out.u64(a);
    out.u64(b);
    return out.toByteArray();
  }

  public static long[] decodeLongs(byte[] reply) {
    Bytes.Reader in = new Bytes.Reader(reply);
    return new long[] {in.u64(), in.u64()};
  }
}
