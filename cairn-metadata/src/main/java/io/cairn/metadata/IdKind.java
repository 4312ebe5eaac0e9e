package io.cairn.metadata;

/** The id counters the metadata service hands out; each is never reused. */
public enum IdKind {
  TABLE,
  PARTITION
}
