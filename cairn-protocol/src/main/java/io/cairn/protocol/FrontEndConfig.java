package io.cairn.protocol;

import io.cairn.core.Limits;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * How the HTTP front end listens.
 *
 * @param host the address to bind, e.g. "0.0.0.0" or "127.0.0.1"
 * @param port the port to bind; 0 picks a free one (see {@link HttpFrontEnd#address()})
 * @param ioThreads event-loop threads serving connections (a boss thread accepts them)
 * @param region the region named by the health check ("healthy: dynamodb.REGION.amazonaws.com ")
 * @param tlsCertificateChainPem PEM certificate chain for HTTPS, or null for plain HTTP
 * @param tlsPrivateKeyPem PEM PKCS#8 private key for HTTPS, or null for plain HTTP
 * @param requestBodyBytesMax larger bodies are refused with RequestEntityTooLarge before parsing
 * @param decompressedBodyBytesMax a gzip or deflate body may not inflate beyond this
 * @param idleTimeout a connection with no traffic for this long is closed
 * @param clock the wall clock for the Date response header
 * @param requestIdSeed seeds the request ids (see {@link io.cairn.protocol.http.RequestIds})
 */
public record FrontEndConfig(
    String host,
    int port,
    int ioThreads,
    String region,
    Path tlsCertificateChainPem,
    Path tlsPrivateKeyPem,
    int requestBodyBytesMax,
    int decompressedBodyBytesMax,
    Duration idleTimeout,
    InstantSource clock,
    long requestIdSeed) {

  public static final int IO_THREADS_DEFAULT = 2;
  public static final Duration IDLE_TIMEOUT_DEFAULT = Duration.ofSeconds(300);

  public FrontEndConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(clock, "clock");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (ioThreads < 1 || ioThreads > 64) {
      throw new IllegalArgumentException("ioThreads must be 1..64: " + ioThreads);
    }
    if ((tlsCertificateChainPem == null) != (tlsPrivateKeyPem == null)) {
      throw new IllegalArgumentException("TLS needs both a certificate chain and a private key");
    }
    if (requestBodyBytesMax < 1024 || requestBodyBytesMax > Limits.REQUEST_BODY_BYTES_MAX) {
      throw new IllegalArgumentException("requestBodyBytesMax must be 1024.." + Limits.REQUEST_BODY_BYTES_MAX);
    }
    if (decompressedBodyBytesMax < 1024 || decompressedBodyBytesMax > Limits.DECOMPRESSED_BODY_BYTES_MAX) {
      throw new IllegalArgumentException("decompressedBodyBytesMax must be 1024.." + Limits.DECOMPRESSED_BODY_BYTES_MAX);
    }
  }

  /** Plain HTTP on this host and port with DynamoDB's limits, two I/O threads and a random id seed. */
  public static FrontEndConfig defaults(String host, int port) {
    return new FrontEndConfig(
        host, port, IO_THREADS_DEFAULT, "us-east-1", null, null,
        Limits.REQUEST_BODY_BYTES_MAX, Limits.DECOMPRESSED_BODY_BYTES_MAX,
        IDLE_TIMEOUT_DEFAULT, InstantSource.system(), new SecureRandom().nextLong());
  }

  public FrontEndConfig withTls(Path certificateChainPem, Path privateKeyPem) {
    return new FrontEndConfig(host, port, ioThreads, region, certificateChainPem, privateKeyPem,
        requestBodyBytesMax, decompressedBodyBytesMax, idleTimeout, clock, requestIdSeed);
  }

  public FrontEndConfig withRegion(String newRegion) {
    return new FrontEndConfig(host, port, ioThreads, newRegion, tlsCertificateChainPem, tlsPrivateKeyPem,
        requestBodyBytesMax, decompressedBodyBytesMax, idleTimeout, clock, requestIdSeed);
  }

  public FrontEndConfig withBodyLimits(int newRequestBodyBytesMax, int newDecompressedBodyBytesMax) {
    return new FrontEndConfig(host, port, ioThreads, region, tlsCertificateChainPem, tlsPrivateKeyPem,
        newRequestBodyBytesMax, newDecompressedBodyBytesMax, idleTimeout, clock, requestIdSeed);
  }

  public boolean tlsEnabled() {
    return tlsCertificateChainPem != null;
  }
}
