package io.cairn.it.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test (or its set-up) fails while the shared cluster runs, attaches the tail of every
 * cluster process's log to the failure as a suppressed exception, so that the build's own report
 * shows what the routers and storage nodes were doing (the cluster's files are deleted when the
 * JVM exits). A failed start already carries the tails in its message.
 */
public final class ClusterLogsOnFailure implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

  /** Carries the log tails; it has no stack trace of its own, only the text. */
  static final class ClusterLogTails extends RuntimeException {
    ClusterLogTails(String tails) {
      super("the end of each cluster process's log:\n" + tails, null, false, false);
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withTails(failure);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withTails(failure);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withTails(failure);
  }

  private static Throwable withTails(Throwable failure) {
    if (ClusterTarget.running() && !(failure instanceof org.opentest4j.TestAbortedException)) {
      failure.addSuppressed(new ClusterLogTails(ClusterTarget.shared().logTails()));
    }
    return failure;
  }
}
