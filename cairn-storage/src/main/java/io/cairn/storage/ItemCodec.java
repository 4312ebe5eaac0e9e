package io.cairn.storage;

import io.cairn.core.Invariants;
import io.cairn.core.Limits;
import io.cairn.core.value.AttributeValue;
import io.cairn.core.value.Bytes;
import io.cairn.core.value.DynamoNumber;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The stored form of an item: {@code version | varint count | (name, value)* | crc32c}.
 *
 * <p>Values are a one-byte type tag followed by the payload; lengths and counts are unsigned
 * LEB128 varints; numbers reuse the compact key encoding of {@link KeyCodec} (sign, exponent,
 * two digits per byte). The CRC32C trailer (4 bytes, big-endian, over everything before it)
 * catches a flipped bit that would otherwise decode into a different but well-formed item;
 * everything else is validated structurally, and any mismatch throws an {@link
 * Invariants.InvariantViolation} instead of returning a guess.
 */
public final class ItemCodec {
  public static final int VERSION = 1;
  private static final int CHECKSUM_BYTES = 4;

  static final int TAG_S = 0x01;
  static final int TAG_N = 0x02;
  static final int TAG_B = 0x03;
  static final int TAG_TRUE = 0x04;
  static final int TAG_FALSE = 0x05;
  static final int TAG_NULL = 0x06;
  static final int TAG_M = 0x07;
  static final int TAG_L = 0x08;
  static final int TAG_SS = 0x09;
  static final int TAG_NS = 0x0A;
  static final int TAG_BS = 0x0B;

  private ItemCodec() {}

  public static byte[] encode(Map<String, AttributeValue> item) {
    ByteWriter out = new ByteWriter(128);
    out.write(VERSION);
    writeMap(item, out, 0);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.size());
    out.writeIntBigEndian((int) crc.getValue());
    return out.toByteArray();
  }

  public static Map<String, AttributeValue> decode(byte[] bytes) {
    Invariants.check(bytes.length >= 1 + 1 + CHECKSUM_BYTES, "item: %d bytes is too short", bytes.length);
    int bodyEnd = bytes.length - CHECKSUM_BYTES;
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bodyEnd);
    ByteReader trailer = new ByteReader(bytes, bodyEnd, bytes.length, "item checksum");
    int stored = trailer.readIntBigEndian();
    Invariants.check(
        stored == (int) crc.getValue(),
        "item: checksum mismatch (stored %08x, computed %08x)",
        stored,
        (int) crc.getValue());
    ByteReader in = new ByteReader(bytes, 0, bodyEnd, "item");
    int version = in.readUnsignedByte();
    Invariants.check(version == VERSION, "item: unknown version %d", version);
    Map<String, AttributeValue> item = readMap(in, 0);
    Invariants.check(!in.hasRemaining(), "item: %d trailing bytes", in.remaining());
    return item;
  }

  // ---- Encoding --------------------------------------------------------------------------

  private static void writeMap(Map<String, AttributeValue> map, ByteWriter out, int depth) {
    out.writeVarint(map.size());
    for (Map.Entry<String, AttributeValue> entry : map.entrySet()) {
      writeString(entry.getKey(), out);
      writeValue(entry.getValue(), out, depth);
    }
  }

  /** {@code depth} is the number of containers (M or L) around {@code value}. */
  private static void writeValue(AttributeValue value, ByteWriter out, int depth) {
    switch (value) {
      case AttributeValue.S s -> {
        out.write(TAG_S);
        writeString(s.value(), out);
      }
      case AttributeValue.N n -> {
        out.write(TAG_N);
        KeyCodec.encodeNumber(n.value(), out);
      }
      case AttributeValue.B b -> {
        out.write(TAG_B);
        writeBytes(b.value(), out);
      }
      case AttributeValue.Bool bool -> out.write(bool.value() ? TAG_TRUE : TAG_FALSE);
      case AttributeValue.Null ignored -> out.write(TAG_NULL);
      case AttributeValue.M m -> {
        checkDepth(depth + 1);
        out.write(TAG_M);
        writeMap(m.value(), out, depth + 1);
      }
      case AttributeValue.L l -> {
        checkDepth(depth + 1);
        out.write(TAG_L);
        out.writeVarint(l.value().size());
        for (AttributeValue element : l.value()) {
          writeValue(element, out, depth + 1);
        }
      }
      case AttributeValue.SS ss -> {
        checkSetSize(ss.value().size());
        out.write(TAG_SS);
        out.writeVarint(ss.value().size());
        for (String member : ss.value()) {
          writeString(member, out);
        }
      }
      case AttributeValue.NS ns -> {
        checkSetSize(ns.value().size());
        out.write(TAG_NS);
        out.writeVarint(ns.value().size());
        for (DynamoNumber member : ns.value()) {
          KeyCodec.encodeNumber(member, out);
        }
      }
      case AttributeValue.BS bs -> {
        checkSetSize(bs.value().size());
        out.write(TAG_BS);
        out.writeVarint(bs.value().size());
        for (Bytes member : bs.value()) {
          writeBytes(member, out);
        }
      }
    }
  }

  private static void checkDepth(int depth) {
    if (depth > Limits.NESTING_DEPTH_MAX) {
      throw new IllegalArgumentException(
          "item nests deeper than " + Limits.NESTING_DEPTH_MAX + " levels");
    }
  }

  private static void checkSetSize(int size) {
    if (size == 0) {
      throw new IllegalArgumentException("a set must not be empty");
    }
  }

  private static void writeString(String text, ByteWriter out) {
    // Fast path for the common case: reserve one varint byte and patch it if the string was
    // longer than 127 bytes; UTF-8 length is not known before encoding.
    int lengthAt = out.size();
    out.write(0);
    int length = Utf8.encode(text, out);
    if (length < 0x80) {
      out.array()[lengthAt] = (byte) length;
      return;
    }
    byte[] encoded = new byte[length];
    System.arraycopy(out.array(), lengthAt + 1, encoded, 0, length);
    out.truncateTo(lengthAt);
    out.writeVarint(length);
    out.write(encoded);
  }

  private static void writeBytes(Bytes bytes, ByteWriter out) {
    out.writeVarint(bytes.length());
    out.write(bytes.unsafeArray());
  }

  // ---- Decoding --------------------------------------------------------------------------

  private static Map<String, AttributeValue> readMap(ByteReader in, int depth) {
    // Each entry takes at least 2 bytes (name length and type tag).
    int count = in.readLength(2);
    Map<String, AttributeValue> map = LinkedHashMap.newLinkedHashMap(count);
    for (int i = 0; i < count; i++) {
      String name = readString(in);
      AttributeValue value = readValue(in, depth);
      Invariants.check(map.put(name, value) == null, "item: duplicate attribute name '%s'", name);
    }
    return map;
  }

  private static AttributeValue readValue(ByteReader in, int depth) {
    int tag = in.readUnsignedByte();
    return switch (tag) {
      case TAG_S -> new AttributeValue.S(readString(in));
      case TAG_N -> new AttributeValue.N(readNumber(in));
      case TAG_B -> new AttributeValue.B(readBytes(in));
      case TAG_TRUE -> AttributeValue.Bool.TRUE;
      case TAG_FALSE -> AttributeValue.Bool.FALSE;
      case TAG_NULL -> AttributeValue.Null.INSTANCE;
      case TAG_M -> {
        checkDecodedDepth(in, depth + 1);
        yield new AttributeValue.M(readMap(in, depth + 1));
      }
      case TAG_L -> {
        checkDecodedDepth(in, depth + 1);
        int count = in.readLength(1);
        List<AttributeValue> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          list.add(readValue(in, depth + 1));
        }
        yield new AttributeValue.L(list);
      }
      case TAG_SS -> {
        int count = readSetSize(in);
        List<String> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          members.add(readString(in));
        }
        yield new AttributeValue.SS(members);
      }
      case TAG_NS -> {
        int count = readSetSize(in);
        List<DynamoNumber> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          members.add(readNumber(in));
        }
        yield new AttributeValue.NS(members);
      }
      case TAG_BS -> {
        int count = readSetSize(in);
        List<Bytes> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          members.add(readBytes(in));
        }
        yield new AttributeValue.BS(members);
      }
      default ->
          throw new Invariants.InvariantViolation(
              "item: unknown type tag " + tag + " at byte " + (in.position() - 1));
    };
  }

  private static void checkDecodedDepth(ByteReader in, int depth) {
    Invariants.check(
        depth <= Limits.NESTING_DEPTH_MAX,
        "item: nesting deeper than %d at byte %d",
        Limits.NESTING_DEPTH_MAX,
        in.position());
  }

  private static int readSetSize(ByteReader in) {
    int count = in.readLength(1);
    Invariants.check(count > 0, "item: empty set at byte %d", in.position());
    return count;
  }

  private static DynamoNumber readNumber(ByteReader in) {
    int tag = in.readUnsignedByte();
    Invariants.check(
        tag == KeyCodec.TAG_NUMBER_NEGATIVE
            || tag == KeyCodec.TAG_NUMBER_ZERO
            || tag == KeyCodec.TAG_NUMBER_POSITIVE,
        "item: bad number sign tag %d at byte %d",
        tag,
        in.position() - 1);
    return KeyCodec.decodeNumberBody(tag, in);
  }

  private static String readString(ByteReader in) {
    int length = in.readLength(1);
    int start = in.position();
    in.skip(length);
    return Utf8.decode(in.array(), start, length, in.what());
  }

  private static Bytes readBytes(ByteReader in) {
    return Bytes.wrap(in.readBytes(in.readLength(1)));
  }
}
