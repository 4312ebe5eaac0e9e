package io.cairn.storage;

/** Cursor direction: FORWARD is ascending key order (ScanIndexForward=true). */
public enum Direction {
  FORWARD,
  REVERSE
}
