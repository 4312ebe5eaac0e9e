package io.cairn.protocol.http;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Undoes a request's Content-Encoding (gzip or deflate) with a hard cap on the inflated size, so a
 * gzip bomb costs at most the cap in memory and stops as soon as it crosses it.
 */
public final class BodyDecoder {
  private BodyDecoder() {}

  private static final int GZIP_MAGIC = 0x8b1f;
  private static final int FLAG_HCRC = 2;
  private static final int FLAG_EXTRA = 4;
  private static final int FLAG_NAME = 8;
  private static final int FLAG_COMMENT = 16;

  /**
   * @param contentEncoding the header value, or null
   * @return the decoded body (the input array itself when there is no encoding)
   */
  public static byte[] decode(byte[] body, String contentEncoding, int decodedBytesMax) {
    String encoding = contentEncoding == null ? "" : contentEncoding.strip().toLowerCase(Locale.ROOT);
    return switch (encoding) {
      case "", "identity" -> body;
      case "gzip", "x-gzip" -> gunzip(body, decodedBytesMax);
      case "deflate" -> inflate(body, decodedBytesMax);
      default -> throw DynamoDbException.serialization("Unsupported Content-Encoding: " + abbreviate(encoding));
    };
  }

  private static byte[] gunzip(byte[] body, int decodedBytesMax) {
    // Parse the RFC 1952 header by hand; the members' trailers are checked below.
    if (body.length < 18 || ((body[0] & 0xff) | (body[1] & 0xff) << 8) != GZIP_MAGIC || body[2] != 8) {
      throw corrupt("gzip");
    }
    int flags = body[3] & 0xff;
    int position = 10;
    if ((flags & FLAG_EXTRA) != 0) {
      int extraLength = (body[position] & 0xff) | (body[position + 1] & 0xff) << 8;
      position += 2 + extraLength;
    }
    if ((flags & FLAG_NAME) != 0) {
      position = skipZeroTerminated(body, position);
    }
    if ((flags & FLAG_COMMENT) != 0) {
      position = skipZeroTerminated(body, position);
    }
    if ((flags & FLAG_HCRC) != 0) {
      position += 2;
    }
    if (position >= body.length) {
      throw corrupt("gzip");
    }
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(body, position, body.length - position);
      byte[] decoded = run(inflater, decodedBytesMax, "gzip");
      int trailerStart = body.length - inflater.getRemaining();
      if (body.length - trailerStart < 8) {
        throw corrupt("gzip");
      }
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(decoded);
      long expectedCrc = readIntLe(body, trailerStart) & 0xffffffffL;
      long expectedSize = readIntLe(body, trailerStart + 4) & 0xffffffffL;
      if (crc.getValue() != expectedCrc || (decoded.length & 0xffffffffL) != expectedSize) {
        throw corrupt("gzip");
      }
      return decoded;
    } finally {
      inflater.end();
    }
  }

  private static byte[] inflate(byte[] body, int decodedBytesMax) {
    // HTTP "deflate" is zlib-wrapped (RFC 1950); some clients send raw deflate. Try both.
    boolean zlibHeader = body.length >= 2 && (body[0] & 0x0f) == 8 && (((body[0] & 0xff) << 8) | (body[1] & 0xff)) % 31 == 0;
    Inflater inflater = new Inflater(!zlibHeader);
    try {
      inflater.setInput(body);
      return run(inflater, decodedBytesMax, "deflate");
    } finally {
      inflater.end();
    }
  }

  private static byte[] run(Inflater inflater, int decodedBytesMax, String encoding) {
    byte[] out = new byte[Math.min(decodedBytesMax + 1, 64 * 1024)];
    int length = 0;
    try {
      while (!inflater.finished()) {
        if (length == out.length) {
          if (out.length > decodedBytesMax) {
            throw tooLarge(decodedBytesMax);
          }
          out = java.util.Arrays.copyOf(out, (int) Math.min((long) decodedBytesMax + 1, out.length * 2L));
        }
        int n = inflater.inflate(out, length, out.length - length);
        length += n;
        if (length > decodedBytesMax) {
          throw tooLarge(decodedBytesMax);
        }
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw corrupt(encoding);
        }
      }
    } catch (DataFormatException e) {
      throw corrupt(encoding);
    }
    return length == out.length ? out : java.util.Arrays.copyOf(out, length);
  }

  private static int skipZeroTerminated(byte[] body, int position) {
    while (position < body.length && body[position] != 0) {
      position++;
    }
    return position + 1;
  }

  private static int readIntLe(byte[] bytes, int offset) {
    return (bytes[offset] & 0xff) | (bytes[offset + 1] & 0xff) << 8 | (bytes[offset + 2] & 0xff) << 16
        | (bytes[offset + 3] & 0xff) << 24;
  }

  private static DynamoDbException corrupt(String encoding) {
    return DynamoDbException.serialization("The request body is not valid " + encoding + " data");
  }

  static DynamoDbException tooLarge(int bytesMax) {
    return new DynamoDbException(ErrorType.REQUEST_ENTITY_TOO_LARGE,
        "Request must be smaller than " + bytesMax + " bytes for the DynamoDB service");
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
