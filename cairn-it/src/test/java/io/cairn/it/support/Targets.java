package io.cairn.it.support;

import io.cairn.server.CairnConfig;
import io.cairn.server.CairnServer;
import java.net.URI;
import java.util.Locale;

/**
 * Starts a target by name, so switching a test from DynamoDB Local to Cairn is one system
 * property: {@code local} (DynamoDB Local in a child JVM), {@code cairn} (Cairn in this JVM,
 * {@code CairnServer.start(CairnConfig.forTests())}), {@code cairn-process} (Cairn in a child JVM,
 * as {@code bin/cairn start --in-memory} runs it), {@code cairn-cluster} (the JVM's shared 3-AZ
 * cluster, {@link ClusterTarget}; closing the target leaves it running for the next test).
 */
public final class Targets {
  /** The target the client-compatibility tests (CLI, boto3) run against. */
  public static final String TARGET_PROPERTY = "cairn.it.target";

  private Targets() {}

  public static DynamoTarget start(String kind) {
    return switch (kind.toLowerCase(Locale.ROOT)) {
      case "local", "dynamodb-local" -> DynamoDbLocal.start();
      case "cairn" -> inProcessCairn();
      case "cairn-process" -> CairnProcess.startInMemory();
      case "cairn-cluster" -> ClusterTarget.shared().asTarget();
      default -> throw new IllegalArgumentException(
          "unknown target '" + kind + "': use local, cairn, cairn-process or cairn-cluster");
    };
  }

  /** The target named by {@code -Dcairn.it.target}, DynamoDB Local when unset. */
  public static DynamoTarget fromSystemProperty() {
    return start(System.getProperty(TARGET_PROPERTY, "local"));
  }

  private static DynamoTarget inProcessCairn() {
    CairnServer server = CairnServer.start(CairnConfig.forTests());
    return new DynamoTarget() {
      @Override
      public URI endpoint() {
        return server.endpoint();
      }

      @Override
      public String name() {
        return "cairn";
      }

      @Override
      public void awaitIndexesSettled() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (server.pendingIndexChanges() > 0) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("index lag did not drain in 30 s: " + server.pendingIndexChanges());
          }
          try { Thread.sleep(2); } catch (InterruptedException e) { Thread.currentThread().interrupt(); throw new IllegalStateException(e); }
        }
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }
}
