package io.cairn.core.value;

import java.util.Arrays;
import java.util.Base64;

/**
 * An immutable byte string, ordered the way DynamoDB orders binary values: unsigned,
 * byte by byte, shorter prefix first.
 */
public final class Bytes implements Comparable<Bytes> {
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Bytes copyOf(byte[] bytes) {
    return new Bytes(bytes.clone());
  }

  /** Wraps without copying; the caller promises never to change the array again. */
  public static Bytes wrap(byte[] bytes) {
    return new Bytes(bytes);
  }

  public int length() {
    return bytes.length;
  }

  public byte byteAt(int index) {
    return bytes[index];
  }

  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The backing array, for encoders that only read it. Never modify the result. */
  public byte[] unsafeArray() {
    return bytes;
  }

  public String toBase64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  public boolean startsWith(Bytes prefix) {
    return bytes.length >= prefix.bytes.length
        && Arrays.equals(bytes, 0, prefix.bytes.length, prefix.bytes, 0, prefix.bytes.length);
  }

  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Bytes[" + toBase64() + "]";
  }
}
