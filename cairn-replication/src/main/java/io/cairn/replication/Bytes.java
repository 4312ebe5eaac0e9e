package io.cairn.replication;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Minimal big-endian writer and reader for the replication codecs. */
final class Bytes {
  private Bytes() {}

  static final class Writer {
    private byte[] buffer;
    private int size;

    Writer(int capacity) {
      buffer = new byte[capacity];
    }

    private void ensure(int more) {
      if (size + more > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
      }
    }

    void u8(int value) {
      ensure(1);
      buffer[size++] = (byte) value;
    }

    void u32(int value) {
      ensure(4);
      buffer[size++] = (byte) (value >>> 24);
      buffer[size++] = (byte) (value >>> 16);
      buffer[size++] = (byte) (value >>> 8);
      buffer[size++] = (byte) value;
    }

    void u64(long value) {
      u32((int) (value >>> 32));
      u32((int) value);
    }

    void bytes(byte[] value) {
      u32(value.length);
      ensure(value.length);
      System.arraycopy(value, 0, buffer, size, value.length);
      size += value.length;
    }

    void string(String value) {
      bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buffer, size);
    }
  }

  static final class Reader {
    private final ByteBuffer buffer;

    Reader(byte[] bytes) {
      buffer = ByteBuffer.wrap(bytes);
    }

    int u8() {
      return buffer.get() & 0xff;
    }

    int u32() {
      return buffer.getInt();
    }

    long u64() {
      return buffer.getLong();
    }

    byte[] bytes() {
      int length = buffer.getInt();
      if (length < 0 || length > buffer.remaining()) {
        throw new IllegalArgumentException("length " + length + " beyond the " + buffer.remaining() + " bytes left");
      }
      byte[] value = new byte[length];
      buffer.get(value);
      return value;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    int remaining() {
      return buffer.remaining();
    }
  }
}
