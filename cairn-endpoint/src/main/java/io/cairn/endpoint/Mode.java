package io.cairn.endpoint;

/**
 * Whether the guards are on. {@code LEGACY} exists only so tests can show the 2025 race happening
 * without the guards: unconditional flips, a cleaner whose horizon comes from its own plan, no
 * automatic freeze. Production code refuses to start in it.
 */
public enum Mode {
  GUARDED,
  LEGACY_TEST_ONLY
}
