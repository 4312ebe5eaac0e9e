package io.cairn.it.support;

/**
 * Where a test class runs when it runs once per deployment shape (the SDK tests do).
 *
 * <ul>
 *   <li>{@link #SINGLE_PROCESS}: {@code CairnServer.start(CairnConfig.forTests())} in the test JVM,
 *       as {@code bin/cairn start} runs it;
 *   <li>{@link #CLUSTER}: the shared 3-AZ local cluster ({@link ClusterTarget}), each request sent
 *       to router-1 and router-2 in turn. Tests listed in {@link ClusterExclusions} are skipped
 *       there, each with its reason.
 * </ul>
 */
public enum Deployment {
  SINGLE_PROCESS,
  CLUSTER
}
