package io.cairn.storage;

import io.cairn.core.Invariants;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8. {@code String.getBytes(UTF_8)} silently replaces an unpaired surrogate with '?',
 * which would make two different strings share one key; here it is refused instead. Decoding
 * refuses malformed input (overlong forms, surrogates, truncated sequences) rather than inserting
 * replacement characters.
 */
final class Utf8 {
  private Utf8() {}

  /** Encodes {@code text} into {@code out}; returns the number of bytes written. */
  static int encode(String text, ByteWriter out) {
    int start = out.size();
    int length = text.length();
    out.ensure(length);
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        out.write(c);
      } else if (c < 0x800) {
        out.write(0xC0 | (c >> 6));
        out.write(0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c)
            || i + 1 >= length
            || !Character.isLowSurrogate(text.charAt(i + 1))) {
          throw new IllegalArgumentException("string has an unpaired surrogate at char " + i);
        }
        int codePoint = Character.toCodePoint(c, text.charAt(++i));
        out.write(0xF0 | (codePoint >> 18));
        out.write(0x80 | ((codePoint >> 12) & 0x3F));
        out.write(0x80 | ((codePoint >> 6) & 0x3F));
        out.write(0x80 | (codePoint & 0x3F));
      } else {
        out.write(0xE0 | (c >> 12));
        out.write(0x80 | ((c >> 6) & 0x3F));
        out.write(0x80 | (c & 0x3F));
      }
    }
    return out.size() - start;
  }

  static byte[] encode(String text) {
    ByteWriter out = new ByteWriter(text.length() + 8);
    encode(text, out);
    return out.toByteArray();
  }

  /** Decodes well-formed UTF-8 or fails with an invariant violation naming {@code what}. */
  static String decode(byte[] bytes, int offset, int length, String what) {
    validate(bytes, offset, length, what);
    return new String(bytes, offset, length, StandardCharsets.UTF_8);
  }

  static void validate(byte[] bytes, int offset, int length, String what) {
    int end = offset + length;
    int i = offset;
    while (i < end) {
      int b = bytes[i] & 0xFF;
      if (b < 0x80) {
        i++;
        continue;
      }
      int continuation;
      int codePointMin;
      int codePoint;
      if ((b & 0xE0) == 0xC0) {
        continuation = 1;
        codePointMin = 0x80;
        codePoint = b & 0x1F;
      } else if ((b & 0xF0) == 0xE0) {
        continuation = 2;
        codePointMin = 0x800;
        codePoint = b & 0x0F;
      } else if ((b & 0xF8) == 0xF0) {
        continuation = 3;
        codePointMin = 0x10000;
        codePoint = b & 0x07;
      } else {
        throw new Invariants.InvariantViolation(what + ": invalid UTF-8 lead byte at " + i);
      }
      Invariants.check(i + continuation < end, "%s: truncated UTF-8 sequence at %d", what, i);
      for (int k = 1; k <= continuation; k++) {
        int c = bytes[i + k] & 0xFF;
        Invariants.check((c & 0xC0) == 0x80, "%s: invalid UTF-8 continuation at %d", what, i + k);
        codePoint = (codePoint << 6) | (c & 0x3F);
      }
      Invariants.check(
          codePoint >= codePointMin
              && codePoint <= Character.MAX_CODE_POINT
              && !(codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE),
          "%s: invalid UTF-8 code point at %d",
          what,
          i);
      i += continuation + 1;
    }
  }
}
