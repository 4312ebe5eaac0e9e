package io.cairn.storage;

import io.cairn.core.Invariants;
import io.cairn.core.value.AttributeValue;
import io.cairn.core.value.Bytes;
import io.cairn.core.value.DynamoNumber;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/**
 * The order-preserving key layout (see README.md for the byte-by-byte description).
 *
 * <pre>
 * item key = keyspaceId (8, big-endian) | xxh64(enc(pk)) (8, big-endian) | enc(pk) | enc(sk)?
 * enc(S)   = 0x06 | UTF-8 with 0x00 -> 0x00 0xFF | 0x00 0x01
 * enc(B)   = 0x05 | bytes with 0x00 -> 0x00 0xFF | 0x00 0x01
 * enc(N)   = 0x03                                       (zero)
 *          | 0x04 | exponent+130 | centimal digits      (positive)
 *          | 0x02 | ~(exponent+130) | ~centimal digits  (negative)
 * </pre>
 *
 * Every value encoding is prefix-free (no encoding is a proper prefix of another), so comparing
 * {@code enc(pk1) | enc(sk1)} with {@code enc(pk2) | enc(sk2)} compares pk first and sk second,
 * and all keys of one partition key share the prefix {@code keyspace | hash | enc(pk)}.
 */
public final class KeyCodec {
  static final int TAG_NUMBER_NEGATIVE = 0x02;
  static final int TAG_NUMBER_ZERO = 0x03;
  static final int TAG_NUMBER_POSITIVE = 0x04;
  static final int TAG_BINARY = 0x05;
  static final int TAG_STRING = 0x06;

  private static final int ESCAPE = 0x00;
  private static final int ESCAPED_ZERO = 0xFF;
  private static final int TERMINATOR = 0x01;
  private static final int EXPONENT_BIAS = -DynamoNumber.EXPONENT_MIN;
  private static final int KEYSPACE_BYTES = 8;
  private static final int HASH_BYTES = 8;
  /** Offset of the encoded partition key inside an item key. */
  public static final int PARTITION_KEY_OFFSET = KEYSPACE_BYTES + HASH_BYTES;

  private KeyCodec() {}

  // ---- Values ----------------------------------------------------------------------------

  /** The order-preserving, self-delimiting encoding of one key value (S, N or B). */
  public static byte[] encodeValue(AttributeValue value) {
    ByteWriter out = new ByteWriter(32);
    encodeValue(value, out);
    return out.toByteArray();
  }

  static void encodeValue(AttributeValue value, ByteWriter out) {
    switch (value) {
      case AttributeValue.S s -> {
        out.write(TAG_STRING);
        writeEscaped(Utf8.encode(s.value()), out);
      }
      case AttributeValue.B b -> {
        out.write(TAG_BINARY);
        writeEscaped(b.value().unsafeArray(), out);
      }
      case AttributeValue.N n -> encodeNumber(n.value(), out);
      case AttributeValue.Bool v -> throw notAKeyType(v);
      case AttributeValue.Null v -> throw notAKeyType(v);
      case AttributeValue.M v -> throw notAKeyType(v);
      case AttributeValue.L v -> throw notAKeyType(v);
      case AttributeValue.SS v -> throw notAKeyType(v);
      case AttributeValue.NS v -> throw notAKeyType(v);
      case AttributeValue.BS v -> throw notAKeyType(v);
    }
  }

  private static IllegalArgumentException notAKeyType(AttributeValue value) {
    return new IllegalArgumentException(
        "a key attribute must be S, N or B, not " + value.typeName());
  }

  private static void writeEscaped(byte[] bytes, ByteWriter out) {
    writeEscapedBody(bytes, out);
    out.write(ESCAPE);
    out.write(TERMINATOR);
  }

  private static void writeEscapedBody(byte[] bytes, ByteWriter out) {
    out.ensure(bytes.length + 2);
    for (byte b : bytes) {
      if (b == 0) {
        out.write(ESCAPE);
        out.write(ESCAPED_ZERO);
      } else {
        out.write(b);
      }
    }
  }

  /**
   * Numbers: a sign tag, then for non-zero numbers the adjusted exponent (-130..125, biased to
   * one byte 0..255) and the significant digits in pairs, each pair {@code x} (0..99) written as
   * {@code 2x+1}, the last one as {@code 2x}. A larger exponent means a larger magnitude because
   * the first digit is never zero; within an exponent the pairs compare like the digit strings,
   * and the even last byte makes a shorter mantissa sort before any longer one that extends it.
   * For negative numbers every byte after the tag is inverted, which reverses the order because
   * the positive encoding is prefix-free.
   */
  static void encodeNumber(DynamoNumber number, ByteWriter out) {
    int signum = number.signum();
    if (signum == 0) {
      out.write(TAG_NUMBER_ZERO);
      return;
    }
    BigDecimal value = number.toBigDecimal();
    String digits = value.unscaledValue().abs().toString();
    int exponent = number.adjustedExponent();
    Invariants.check(
        exponent >= DynamoNumber.EXPONENT_MIN && exponent <= DynamoNumber.EXPONENT_MAX,
        "number exponent %d out of range",
        exponent);
    Invariants.check(
        digits.length() <= DynamoNumber.PRECISION_DIGITS_MAX
            && digits.charAt(digits.length() - 1) != '0',
        "number %s is not canonical",
        digits);
    int flip = signum < 0 ? 0xFF : 0x00;
    out.write(signum < 0 ? TAG_NUMBER_NEGATIVE : TAG_NUMBER_POSITIVE);
    out.write((exponent + EXPONENT_BIAS) ^ flip);
    int length = digits.length();
    for (int i = 0; i < length; i += 2) {
      int high = digits.charAt(i) - '0';
      int low = i + 1 < length ? digits.charAt(i + 1) - '0' : 0;
      int pair = high * 10 + low;
      boolean last = i + 2 >= length;
      out.write((last ? 2 * pair : 2 * pair + 1) ^ flip);
    }
  }

  /** Decodes one key value encoding that must span exactly {@code bytes}. */
  public static AttributeValue decodeValue(byte[] bytes) {
    ByteReader in = new ByteReader(bytes, 0, bytes.length, "key value");
    AttributeValue value = decodeValue(in);
    Invariants.check(!in.hasRemaining(), "key value: %d trailing bytes", in.remaining());
    return value;
  }

  static AttributeValue decodeValue(ByteReader in) {
    int tag = in.readUnsignedByte();
    return switch (tag) {
      case TAG_STRING -> {
        byte[] utf8 = readEscaped(in);
        yield new AttributeValue.S(Utf8.decode(utf8, 0, utf8.length, in.what()));
      }
      case TAG_BINARY -> new AttributeValue.B(Bytes.wrap(readEscaped(in)));
      case TAG_NUMBER_NEGATIVE, TAG_NUMBER_ZERO, TAG_NUMBER_POSITIVE ->
          new AttributeValue.N(decodeNumberBody(tag, in));
      default ->
          throw new Invariants.InvariantViolation(
              in.what() + ": unknown key type tag " + tag + " at byte " + (in.position() - 1));
    };
  }

  private static byte[] readEscaped(ByteReader in) {
    ByteWriter out = new ByteWriter(32);
    while (true) {
      int b = in.readUnsignedByte();
      if (b != ESCAPE) {
        out.write(b);
        continue;
      }
      int next = in.readUnsignedByte();
      if (next == TERMINATOR) {
        return out.toByteArray();
      }
      Invariants.check(
          next == ESCAPED_ZERO, "%s: bad escape 0x%02x at byte %d", in.what(), next, in.position());
      out.write(0);
    }
  }

  /** Reads a number after its tag byte, validating every byte (see {@link #encodeNumber}). */
  static DynamoNumber decodeNumberBody(int tag, ByteReader in) {
    if (tag == TAG_NUMBER_ZERO) {
      return DynamoNumber.ZERO;
    }
    boolean negative = tag == TAG_NUMBER_NEGATIVE;
    int flip = negative ? 0xFF : 0x00;
    int exponent = (in.readUnsignedByte() ^ flip) - EXPONENT_BIAS;
    char[] digits = new char[DynamoNumber.PRECISION_DIGITS_MAX];
    int digitCount = 0;
    while (true) {
      int b = in.readUnsignedByte() ^ flip;
      boolean last = (b & 1) == 0;
      int pair = b >> 1;
      Invariants.check(pair <= 99, "%s: number digit pair %d out of range", in.what(), pair);
      Invariants.check(
          digitCount + 2 <= DynamoNumber.PRECISION_DIGITS_MAX,
          "%s: number has more than 38 digits",
          in.what());
      digits[digitCount++] = (char) ('0' + pair / 10);
      digits[digitCount++] = (char) ('0' + pair % 10);
      if (last) {
        Invariants.check(pair != 0, "%s: number ends in a zero digit pair", in.what());
        if (pair % 10 == 0) {
          digitCount--; // the padding digit of an odd-length mantissa
        }
        break;
      }
    }
    Invariants.check(digits[0] != '0', "%s: number mantissa starts with zero", in.what());
    BigInteger unscaled = new BigInteger(new String(digits, 0, digitCount));
    int scale = digitCount - 1 - exponent;
    BigDecimal value = new BigDecimal(negative ? unscaled.negate() : unscaled, scale);
    try {
      return DynamoNumber.of(value);
    } catch (RuntimeException e) {
      throw new Invariants.InvariantViolation(in.what() + ": invalid number: " + e.getMessage());
    }
  }

  // ---- Item keys -------------------------------------------------------------------------

  /** The stable 64-bit hash that places a partition key in the hash space. */
  public static long hashPartitionKey(AttributeValue partitionKey) {
    return XxHash64.hash(encodeValue(partitionKey));
  }

  public static byte[] keyspacePrefix(KeyspaceId keyspaceId) {
    ByteWriter out = new ByteWriter(KEYSPACE_BYTES);
    out.writeLongBigEndian(keyspaceId.value());
    return out.toByteArray();
  }

  /** {@code keyspace | hash | enc(pk)}: the prefix every key of this partition key starts with. */
  public static byte[] partitionPrefix(KeyspaceId keyspaceId, AttributeValue partitionKey) {
    return partitionPrefixWriter(keyspaceId, partitionKey, 0).toByteArray();
  }

  private static ByteWriter partitionPrefixWriter(
      KeyspaceId keyspaceId, AttributeValue partitionKey, int extraBytes) {
    checkDataKeyspace(keyspaceId);
    byte[] encodedPk = encodeValue(partitionKey);
    ByteWriter out = new ByteWriter(PARTITION_KEY_OFFSET + encodedPk.length + extraBytes);
    out.writeLongBigEndian(keyspaceId.value());
    out.writeLongBigEndian(XxHash64.hash(encodedPk));
    out.write(encodedPk);
    return out;
  }

  private static void checkDataKeyspace(KeyspaceId keyspaceId) {
    if (keyspaceId.isSystem()) {
      throw new IllegalArgumentException("keyspace 0 is reserved for system records");
    }
  }

  /** The key of an item in a table without a sort key. */
  public static byte[] itemKey(KeyspaceId keyspaceId, AttributeValue partitionKey) {
    return partitionPrefix(keyspaceId, partitionKey);
  }

  public static byte[] itemKey(
      KeyspaceId keyspaceId, AttributeValue partitionKey, AttributeValue sortKey) {
    ByteWriter out = partitionPrefixWriter(keyspaceId, partitionKey, 32);
    encodeValue(sortKey, out);
    return out.toByteArray();
  }

  /** Takes an item key apart, checking its hash, so a corrupt key fails loudly. */
  public static DecodedKey decode(byte[] key) {
    ByteReader in = new ByteReader(key, 0, key.length, "item key");
    KeyspaceId keyspaceId = new KeyspaceId(in.readLongBigEndian());
    Invariants.check(!keyspaceId.isSystem(), "item key: keyspace 0 is not an item keyspace");
    long hash = in.readLongBigEndian();
    int pkStart = in.position();
    AttributeValue partitionKey = decodeValue(in);
    long expectedHash = XxHash64.hash(key, pkStart, in.position() - pkStart, 0L);
    Invariants.check(
        hash == expectedHash,
        "item key: stored hash %016x does not match the partition key's hash %016x",
        hash,
        expectedHash);
    Optional<AttributeValue> sortKey = Optional.empty();
    if (in.hasRemaining()) {
      sortKey = Optional.of(decodeValue(in));
      Invariants.check(!in.hasRemaining(), "item key: %d trailing bytes", in.remaining());
    }
    return new DecodedKey(keyspaceId, hash, partitionKey, sortKey);
  }

  // ---- Ranges ----------------------------------------------------------------------------

  /** Every key of a keyspace (Scan of a whole table, DeleteTable). */
  public static KeyRange keyspaceRange(KeyspaceId keyspaceId) {
    byte[] prefix = keyspacePrefix(keyspaceId);
    return new KeyRange(prefix, prefixSuccessor(prefix));
  }

  /** Every key of a keyspace whose partition-key hash lies in {@code hashRange}. */
  public static KeyRange hashRange(KeyspaceId keyspaceId, HashRange hashRange) {
    ByteWriter low = new ByteWriter(PARTITION_KEY_OFFSET);
    low.writeLongBigEndian(keyspaceId.value());
    low.writeLongBigEndian(hashRange.lowInclusive());
    ByteWriter high = new ByteWriter(PARTITION_KEY_OFFSET);
    high.writeLongBigEndian(keyspaceId.value());
    high.writeLongBigEndian(hashRange.highInclusive());
    return new KeyRange(low.toByteArray(), prefixSuccessor(high.toByteArray()));
  }

  /** Every item of one partition key (Query without a sort-key condition). */
  public static KeyRange partitionRange(KeyspaceId keyspaceId, AttributeValue partitionKey) {
    byte[] prefix = partitionPrefix(keyspaceId, partitionKey);
    return new KeyRange(prefix, prefixSuccessor(prefix));
  }

  /**
   * The key range of a Query: one partition key and a condition on the sort key. A BETWEEN whose
   * low end is above its high end gives an empty range.
   */
  public static KeyRange sortKeyRange(
      KeyspaceId keyspaceId, AttributeValue partitionKey, SortKeyCondition condition) {
    byte[] prefix = partitionPrefix(keyspaceId, partitionKey);
    byte[] partitionEnd = prefixSuccessor(prefix);
    return switch (condition) {
      case SortKeyCondition.Any any -> new KeyRange(prefix, partitionEnd);
      case SortKeyCondition.Eq eq -> {
        byte[] key = concat(prefix, encodeValue(eq.value()));
        yield new KeyRange(key, keySuccessor(key));
      }
      case SortKeyCondition.Lt lt -> new KeyRange(prefix, concat(prefix, encodeValue(lt.value())));
      case SortKeyCondition.Le le ->
          new KeyRange(prefix, keySuccessor(concat(prefix, encodeValue(le.value()))));
      case SortKeyCondition.Gt gt ->
          new KeyRange(keySuccessor(concat(prefix, encodeValue(gt.value()))), partitionEnd);
      case SortKeyCondition.Ge ge -> new KeyRange(concat(prefix, encodeValue(ge.value())), partitionEnd);
      case SortKeyCondition.Between between ->
          new KeyRange(
              concat(prefix, encodeValue(between.low())),
              keySuccessor(concat(prefix, encodeValue(between.high()))));
      case SortKeyCondition.BeginsWith beginsWith -> {
        byte[] start = concat(prefix, encodeBeginsWithPrefix(beginsWith.prefix()));
        yield new KeyRange(start, prefixSuccessor(start));
      }
    };
  }

  /**
   * The type tag and escaped bytes of a prefix, without the terminator: every encoded value whose
   * plain bytes start with the prefix starts with these bytes, and no other does, because the
   * escaping is a prefix code and never ends in a bare 0x00.
   */
  private static byte[] encodeBeginsWithPrefix(AttributeValue prefix) {
    ByteWriter out = new ByteWriter(32);
    switch (prefix) {
      case AttributeValue.S s -> {
        out.write(TAG_STRING);
        writeEscapedBody(Utf8.encode(s.value()), out);
      }
      case AttributeValue.B b -> {
        out.write(TAG_BINARY);
        writeEscapedBody(b.value().unsafeArray(), out);
      }
      default ->
          throw new IllegalArgumentException(
              "begins_with needs an S or B operand, not " + prefix.typeName());
    }
    return out.toByteArray();
  }

  /** The smallest key greater than {@code key}: {@code key | 0x00}. */
  public static byte[] keySuccessor(byte[] key) {
    byte[] result = Arrays.copyOf(key, key.length + 1);
    result[key.length] = 0;
    return result;
  }

  /** The smallest byte string greater than every string that starts with {@code prefix}. */
  public static byte[] prefixSuccessor(byte[] prefix) {
    int end = prefix.length;
    while (end > 0 && prefix[end - 1] == (byte) 0xFF) {
      end--;
    }
    Invariants.check(end > 0, "prefix of only 0xFF bytes has no successor");
    byte[] result = Arrays.copyOf(prefix, end);
    result[end - 1]++;
    return result;
  }

  // ---- Secondary-index keys ----------------------------------------------------------------

  /**
   * The hash of a (possibly multi-attribute) index partition key: XXH64 of the concatenated
   * encodings. For one value it equals {@link #hashPartitionKey(AttributeValue)}, so an LSI entry
   * has the same hash as its base item and stays in the base partition's hash range.
   */
  public static long hashPartitionKey(java.util.List<AttributeValue> partitionKeyValues) {
    return XxHash64.hash(encodeValues(partitionKeyValues));
  }

  /** {@code keyspace | hash(values) | enc(v1) | ... | enc(vn)}: an index partition's prefix. */
  public static byte[] indexPartitionPrefix(KeyspaceId keyspaceId, java.util.List<AttributeValue> partitionKeyValues) {
    checkDataKeyspace(keyspaceId);
    byte[] encoded = encodeValues(partitionKeyValues);
    ByteWriter out = new ByteWriter(PARTITION_KEY_OFFSET + encoded.length + 64);
    out.writeLongBigEndian(keyspaceId.value());
    out.writeLongBigEndian(XxHash64.hash(encoded));
    out.write(encoded);
    return out.toByteArray();
  }

  /** {@code prefix | enc(v1) | ... | enc(vn)}. */
  public static byte[] append(byte[] prefix, java.util.List<AttributeValue> values) {
    return concat(prefix, encodeValues(values));
  }

  private static byte[] encodeValues(java.util.List<AttributeValue> values) {
    ByteWriter out = new ByteWriter(32 * Math.max(1, values.size()));
    for (AttributeValue value : values) {
      encodeValue(value, out);
    }
    return out.toByteArray();
  }

  /**
   * The key range of an index Query: keys that start with {@code prefix}, continue with a value
   * satisfying {@code condition}, and then carry more bytes (the base table's key, which makes an
   * index key unique). Unlike {@link #sortKeyRange}, upper bounds are prefix successors, because
   * {@code prefix|enc(v)|more} sorts above {@code prefix|enc(v)|00}. An empty BETWEEN (low above
   * high) gives an empty range.
   *
   * <p>Multi-attribute sort keys (a GSI's up to 4 RANGE attributes) are encoded one after another,
   * so entries sort lexicographically over the attributes in declared order, each by its own
   * type's order. A Query with equalities on the first k attributes passes {@code prefix} =
   * partition prefix | enc(v1)..enc(vk) and its condition on attribute k+1 (or {@code Any}).
   */
  public static KeyRange indexSortKeyRange(byte[] prefix, SortKeyCondition condition) {
    byte[] end = prefixSuccessor(prefix);
    return switch (condition) {
      case SortKeyCondition.Any any -> new KeyRange(prefix, end);
      case SortKeyCondition.Eq eq -> {
        byte[] key = concat(prefix, encodeValue(eq.value()));
        yield new KeyRange(key, prefixSuccessor(key));
      }
      case SortKeyCondition.Lt lt -> new KeyRange(prefix, concat(prefix, encodeValue(lt.value())));
      case SortKeyCondition.Le le -> new KeyRange(prefix, prefixSuccessor(concat(prefix, encodeValue(le.value()))));
      case SortKeyCondition.Gt gt -> new KeyRange(prefixSuccessor(concat(prefix, encodeValue(gt.value()))), end);
      case SortKeyCondition.Ge ge -> new KeyRange(concat(prefix, encodeValue(ge.value())), end);
      case SortKeyCondition.Between between -> new KeyRange(
          concat(prefix, encodeValue(between.low())), prefixSuccessor(concat(prefix, encodeValue(between.high()))));
      case SortKeyCondition.BeginsWith beginsWith -> {
        byte[] start = concat(prefix, encodeBeginsWithPrefix(beginsWith.prefix()));
        yield new KeyRange(start, prefixSuccessor(start));
      }
    };
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] result = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, result, a.length, b.length);
    return result;
  }
}
