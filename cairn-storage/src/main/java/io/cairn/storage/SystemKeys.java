package io.cairn.storage;

/**
 * The layout of keyspace 0, the engine's own records:
 *
 * <pre>
 * 00×8 | 0x01 | logId (8, big-endian)   -> applied log index (8, big-endian)
 * 00×8 | 0x02 | name (UTF-8)            -> metadata value (opaque bytes, e.g. the table catalog)
 * </pre>
 */
final class SystemKeys {
  static final int AREA_APPLIED_INDEX = 0x01;
  static final int AREA_METADATA = 0x02;
  static final int KEYSPACE_BYTES = 8;

  private SystemKeys() {}

  static byte[] appliedIndexKey(LogId logId) {
    ByteWriter out = new ByteWriter(17);
    out.writeLongBigEndian(0L);
    out.write(AREA_APPLIED_INDEX);
    out.writeLongBigEndian(logId.value());
    return out.toByteArray();
  }

  static byte[] metadataKey(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("metadata name must not be empty");
    }
    ByteWriter out = new ByteWriter(9 + name.length());
    out.writeLongBigEndian(0L);
    out.write(AREA_METADATA);
    Utf8.encode(name, out);
    return out.toByteArray();
  }

  /** Prefix of every metadata key whose name starts with {@code namePrefix}. */
  static byte[] metadataPrefix(String namePrefix) {
    ByteWriter out = new ByteWriter(9 + namePrefix.length());
    out.writeLongBigEndian(0L);
    out.write(AREA_METADATA);
    Utf8.encode(namePrefix, out);
    return out.toByteArray();
  }

  static String metadataName(byte[] key) {
    int offset = KEYSPACE_BYTES + 1;
    return Utf8.decode(key, offset, key.length - offset, "metadata key");
  }

  static boolean isSystemKey(byte[] key) {
    if (key.length < KEYSPACE_BYTES) {
      return true; // shorter than a keyspace id: not a valid item key either, refuse it too
    }
    for (int i = 0; i < KEYSPACE_BYTES; i++) {
      if (key[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
