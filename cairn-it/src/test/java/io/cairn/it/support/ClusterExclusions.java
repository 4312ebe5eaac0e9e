package io.cairn.it.support;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

/**
 * The one list of tests that run in one process but not against the cluster, each with the reason.
 * A key is a test class's simple name (the whole class) or {@code Class#method}. A test skipped
 * here is reported as skipped with its reason, never silently dropped; a reason names a deliberate
 * gap in cluster mode (docs/compatibility.md, "Cluster mode") or a feature that is single-process
 * by design.
 *
 * <p>Not listed because they are not parameterised by deployment at all: {@code CredentialsSdkTest}
 * (starts its own server with {@code --credentials FILE}; cluster routers accept any signature, as
 * docs/compatibility.md says under "Cluster mode"), and the tests of one process's internals (crash
 * recovery, the index benchmark).
 */
public final class ClusterExclusions {
  static final String NO_GSIS =
      "a cluster refuses global secondary indexes at CreateTable/UpdateTable (no cross-node index propagator yet; "
          + "docs/compatibility.md, Cluster mode); the index issue's tests need them";

  public static final Map<String, String> BY_TEST = Map.of(
      "SecondaryIndexSdkTest", NO_GSIS,
      "MultiAttributeIndexSdkTest", NO_GSIS);

  private ClusterExclusions() {}

  /** Why the class is not run against the cluster, if it is not. */
  public static Optional<String> forClass(Class<?> testClass) {
    return Optional.ofNullable(BY_TEST.get(testClass.getSimpleName()));
  }

  /** Why the test method is not run against the cluster, if it is not. */
  public static Optional<String> forMethod(Class<?> testClass, Method method) {
    return forClass(testClass).or(() -> Optional.ofNullable(BY_TEST.get(testClass.getSimpleName() + "#" + method.getName())));
  }
}
