package io.cairn.bench.ycsb;

import java.net.URI;
import java.util.Properties;

/**
 * The binding's properties (pass with {@code -p name=value} to YCSB).
 *
 * @param endpoints {@code dynamodb.endpoint}, default http://127.0.0.1:8000; several, comma-separated
 *     (a cluster's routers), spread the YCSB threads over them round-robin
 * @param region {@code dynamodb.region}, default us-east-1
 * @param tableOverride {@code dynamodb.table}; when unset YCSB's {@code table} property is used
 * @param keyAttribute {@code dynamodb.keyAttribute}, the hash key's name, default {@code pk}
 * @param consistentReads {@code dynamodb.consistentReads}, default false
 * @param connectionsMax {@code dynamodb.maxConnections}, HTTP connections in the shared pool, default 64
 * @param accessKeyId {@code dynamodb.accessKeyId}, default a dummy key
 * @param secretAccessKey {@code dynamodb.secretAccessKey}, default a dummy secret
 */
public record BindingConfig(
    java.util.List<URI> endpoints,
    String region,
    String tableOverride,
    String keyAttribute,
    boolean consistentReads,
    int connectionsMax,
    String accessKeyId,
    String secretAccessKey) {

  public static BindingConfig from(Properties p) {
    BindingConfig config =
        new BindingConfig(
            java.util.Arrays.stream(p.getProperty("dynamodb.endpoint", "http://127.0.0.1:8000").split(","))
                .map(String::trim).map(URI::create).toList(),
            p.getProperty("dynamodb.region", "us-east-1"),
            p.getProperty("dynamodb.table"),
            p.getProperty("dynamodb.keyAttribute", "pk"),
            Boolean.parseBoolean(p.getProperty("dynamodb.consistentReads", "false")),
            Integer.parseInt(p.getProperty("dynamodb.maxConnections", "64")),
            p.getProperty("dynamodb.accessKeyId", "AKIDCAIRNBENCH"),
            p.getProperty("dynamodb.secretAccessKey", "cairn-bench-secret"));
    if (config.connectionsMax < 1) {
      throw new IllegalArgumentException("dynamodb.maxConnections must be at least 1, got " + config.connectionsMax);
    }
    return config;
  }

  /** The first endpoint (where the table is created). */
  public URI endpoint() {
    return endpoints.get(0);
  }

  public String table(String ycsbTable) {
    return tableOverride != null ? tableOverride : ycsbTable;
  }
}
