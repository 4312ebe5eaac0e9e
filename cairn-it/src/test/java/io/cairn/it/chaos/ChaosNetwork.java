package io.cairn.it.chaos;

/**
 * A network between a chaos cluster's storage nodes that a test can cut: {@link NetworkNamespaces}
 * (root and iproute2: kernel routes) or {@link RelayNetwork} (any user: the nodes reach each other
 * through relays in the test's JVM). Either way a cut node stays reachable from the routers, the
 * metadata members and the test itself, and nothing crosses between it and the other storage
 * nodes, in either direction, until it is healed.
 */
interface ChaosNetwork extends AutoCloseable {
  /** Cuts {@code storageNode} off from every other storage node, both ways. */
  void isolate(String storageNode);

  /** Undoes {@link #isolate}. */
  void heal(String storageNode);

  /** What the network looks like around {@code storageNode} now, for a failure message. */
  String describe(String storageNode);

  /** Removes everything the network made (call it after the processes inside have exited). */
  @Override
  void close();
}
