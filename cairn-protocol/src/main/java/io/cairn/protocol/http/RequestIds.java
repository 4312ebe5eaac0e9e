package io.cairn.protocol.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * DynamoDB-style request ids: 52 characters of base32hex ({@code 0-9A-V}), as in
 * {@code 6K2GA16P0H3MSBURE6P3J1QFBBVV4KQNSO5AEMVJF66Q9ASUAAJG}.
 *
 * <p>Each id is derived from a per-server seed and a counter through the SplitMix64 finalizer, a
 * bijection, so ids never repeat within a server for 2^64 requests, look random, and are
 * reproducible from the seed in tests. Thread-safe and allocation-light.
 */
public final class RequestIds {
  public static final int LENGTH_CHARS = 52;
  private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUV".toCharArray();
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private final long seed;
  private final AtomicLong counter = new AtomicLong();

  public RequestIds(long seed) {
    this.seed = seed;
  }

  public String next() {
    long n = counter.getAndIncrement();
    long state = seed + n * GOLDEN_GAMMA;
    char[] id = new char[LENGTH_CHARS];
    int position = 0;
    // Five 64-bit words, twelve 5-bit characters from each (the last word gives four).
    for (int word = 0; position < LENGTH_CHARS; word++) {
      long bits = mix(state + word * GOLDEN_GAMMA);
      for (int c = 0; c < 12 && position < LENGTH_CHARS; c++) {
        id[position++] = ALPHABET[(int) (bits & 31)];
        bits >>>= 5;
      }
    }
    return new String(id);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
