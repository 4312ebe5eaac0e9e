package io.cairn.metadata;

/** A storage node's health as the metadata service records it. */
public enum NodeHealth {
  /** Registered and heartbeating. */
  UP,
  /** Alive but being emptied by auto-admin; receives no new replicas. */
  DRAINING,
  /** Declared dead by auto-admin (missed heartbeats past its timeout); its replicas get replaced. */
  DOWN
}
