package io.cairn.it.crash;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the server has acknowledged, and what was merely attempted. A write whose response never
 * arrived (the server died first) may or may not be durable; an acknowledged one must be.
 *
 * <p>Two kinds of writes: unique keys (each written once; must exist with the written value) and
 * one "version" item per writer, overwritten with increasing versions (after recovery its version
 * must be at least the highest acknowledged one and at most the highest attempted one).
 */
final class AcknowledgedWrites {
  private final Set<String> ackedKeys = ConcurrentHashMap.newKeySet();
  private final AtomicLongArray ackedVersion;
  private final AtomicLongArray attemptedVersion;

  AcknowledgedWrites(int writers) {
    ackedVersion = new AtomicLongArray(writers);
    attemptedVersion = new AtomicLongArray(writers);
  }

  int writers() {
    return ackedVersion.length();
  }

  void keyAcknowledged(String key) {
    ackedKeys.add(key);
  }

  Set<String> ackedKeys() {
    return Set.copyOf(ackedKeys);
  }

  long nextVersion(int writer) {
    return attemptedVersion.incrementAndGet(writer);
  }

  void versionAcknowledged(int writer, long version) {
    ackedVersion.accumulateAndGet(writer, version, Math::max);
  }

  long ackedVersion(int writer) {
    return ackedVersion.get(writer);
  }

  long attemptedVersion(int writer) {
    return attemptedVersion.get(writer);
  }

  /** The value stored under a unique key, derived from the key so it can be checked. */
  static String valueFor(String key) {
    return "value-of-" + key + "-" + Integer.toHexString(key.hashCode());
  }
}
