package io.cairn.storage;

import java.util.Arrays;

/** A growable byte buffer for the encoders; not thread-safe, one per encode call. */
final class ByteWriter {
  private byte[] buffer;
  private int size;

  ByteWriter(int initialBytes) {
    buffer = new byte[Math.max(16, initialBytes)];
  }

  int size() {
    return size;
  }

  void ensure(int extraBytes) {
    int needed = size + extraBytes;
    if (needed > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
    }
  }

  void write(int b) {
    ensure(1);
    buffer[size++] = (byte) b;
  }

  void write(byte[] bytes) {
    write(bytes, 0, bytes.length);
  }

  void write(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buffer, size, length);
    size += length;
  }

  void writeLongBigEndian(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buffer[size++] = (byte) (value >>> shift);
    }
  }

  void writeIntBigEndian(int value) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      buffer[size++] = (byte) (value >>> shift);
    }
  }

  /** Unsigned LEB128 of a non-negative int: 1 to 5 bytes. */
  void writeVarint(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("varint must not be negative: " + value);
    }
    ensure(5);
    while ((value & ~0x7F) != 0) {
      buffer[size++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buffer[size++] = (byte) value;
  }

  void truncateTo(int newSize) {
    if (newSize < 0 || newSize > size) {
      throw new IllegalArgumentException("cannot truncate " + size + " bytes to " + newSize);
    }
    size = newSize;
  }

  /** Direct access for checksumming the bytes written so far; never kept. */
  byte[] array() {
    return buffer;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }
}
