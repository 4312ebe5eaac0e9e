package io.cairn.replication;

import io.cairn.core.Invariants;

/**
 * Read-only queries a division answers from its engine: today a point read of one storage key.
 * Request {@code version:u8, kind:u8 (1 = get), storageKey:bytes}; reply {@code found:u8, [value:bytes]}
 * where the value is the stored {@link io.cairn.storage.ItemCodec} bytes.
 */
public final class ReadCodec {
  public static final int VERSION = 1;
  private static final int GET = 1;

  private ReadCodec() {}

  public static byte[] encodeGet(byte[] storageKey) {
    Bytes.Writer out = new Bytes.Writer(storageKey.length + 8);
    out.u8(VERSION);
    out.u8(GET);
    out.bytes(storageKey);
    return out.toByteArray();
  }

  /** The storage key a get request names. */
  public static byte[] decodeGet(byte[] request) {
    Bytes.Reader in = new Bytes.Reader(request);
    Invariants.check(in.u8() == VERSION, "unknown read version");
    Invariants.check(in.u8() == GET, "unknown read kind");
    return in.bytes();
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
}
