package io.cairn.storage;

import io.cairn.core.Invariants;

/**
 * Reads what {@link ByteWriter} wrote, checking every length against the bytes that remain, so a
 * corrupt input fails with an invariant violation instead of an index error or a huge allocation.
 */
final class ByteReader {
  private final byte[] bytes;
  private final int end;
  private int position;
  private final String what;

  ByteReader(byte[] bytes, int offset, int end, String what) {
    this.bytes = bytes;
    this.position = offset;
    this.end = end;
    this.what = what;
  }

  int position() {
    return position;
  }

  int remaining() {
    return end - position;
  }

  boolean hasRemaining() {
    return position < end;
  }

  byte[] array() {
    return bytes;
  }

  int readUnsignedByte() {
    need(1);
    return bytes[position++] & 0xFF;
  }

  int peekUnsignedByte() {
    need(1);
    return bytes[position] & 0xFF;
  }

  long readLongBigEndian() {
    need(8);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (bytes[position++] & 0xFF);
    }
    return value;
  }

  int readIntBigEndian() {
    need(4);
    int value = 0;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (bytes[position++] & 0xFF);
    }
    return value;
  }

  int readVarint() {
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = readUnsignedByte();
      if (shift == 28) {
        Invariants.check((b & 0xF0) == 0, "%s: varint overflows an int at byte %d", what, position - 1);
      }
      value |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new Invariants.InvariantViolation(what + ": unterminated varint at byte " + position);
  }

  /** A length or count that must fit in what remains, each element taking at least one byte. */
  int readLength(int bytesPerElementMin) {
    int length = readVarint();
    Invariants.check(
        (long) length * bytesPerElementMin <= remaining(),
        "%s: length %d at byte %d exceeds the %d bytes that remain",
        what,
        length,
        position,
        remaining());
    return length;
  }

  byte[] readBytes(int length) {
    need(length);
    byte[] result = new byte[length];
    System.arraycopy(bytes, position, result, 0, length);
    position += length;
    return result;
  }

  void skip(int length) {
    need(length);
    position += length;
  }

  void need(int length) {
    Invariants.check(
        length >= 0 && length <= end - position,
        "%s: truncated, needs %d bytes at byte %d but %d remain",
        what,
        length,
        position,
        end - position);
  }

  String what() {
    return what;
  }
}
