package io.cairn.it.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Locale;

/**
 * Starts a target by name, so switching a test from DynamoDB Local to Cairn is one system
 * property: {@code local} (DynamoDB Local in a child JVM), {@code cairn} (Cairn in this JVM,
 * {@code CairnServer.start(CairnConfig.forTests())}), {@code cairn-process} (Cairn in a child JVM,
 * as {@code bin/cairn start --in-memory} runs it).
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
      default -> throw new IllegalArgumentException("unknown target '" + kind + "': use local, cairn or cairn-process");
    };
  }

  /** The target named by {@code -Dcairn.it.target}, DynamoDB Local when unset. */
  public static DynamoTarget fromSystemProperty() {
    return start(System.getProperty(TARGET_PROPERTY, "local"));
  }

  /**
   * {@code CairnServer.start(CairnConfig.forTests())}, called reflectively: cairn-server is being
   * written in parallel and this module must compile and run its DynamoDB Local tests whatever state
   * the server's jar is in. Once the server is stable this can become a direct call.
   */
  private static DynamoTarget inProcessCairn() {
    try {
      Class<?> configClass = Class.forName("io.cairn.server.CairnConfig");
      Class<?> serverClass = Class.forName("io.cairn.server.CairnServer");
      Object config = configClass.getMethod("forTests").invoke(null);
      Object server = serverClass.getMethod("start", configClass).invoke(null, config);
      URI endpoint = (URI) serverClass.getMethod("endpoint").invoke(server);
      Method close = serverClass.getMethod("close");
      return new DynamoTarget() {
        @Override
        public URI endpoint() {
          return endpoint;
        }

        @Override
        public String name() {
          return "cairn";
        }

        @Override
        public void close() {
          try {
            close.invoke(server);
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("closing Cairn failed", e);
          }
        }
      };
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("CairnServer.start(CairnConfig.forTests()) failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cairn-server is not on the test class path or lacks CairnServer/CairnConfig", e);
    }
  }
}
