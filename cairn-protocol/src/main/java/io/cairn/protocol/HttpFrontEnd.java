package io.cairn.protocol;

import io.cairn.protocol.auth.Authenticator;
import io.cairn.protocol.http.FrontEndChannels;
import io.cairn.protocol.metrics.CairnMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DynamoDB HTTP endpoint: Netty, HTTP/1.1 with keep-alive, optional TLS.
 *
 * <p>One boss thread accepts connections and {@link FrontEndConfig#ioThreads()} event-loop threads
 * serve them, with epoll when the native transport loads and NIO otherwise. Everything about the
 * wire lives here and in {@code io.cairn.protocol.http}; the operations live behind
 * {@link DynamoDbService}.
 *
 * <p>It counts and times every DynamoDB request into a Micrometer registry (see {@link CairnMeters}
 * and docs/metrics.md) and serves that registry, with whatever else the process registered in it,
 * on {@code GET /metrics} in the Prometheus text format.
 */
public final class HttpFrontEnd implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpFrontEnd.class);
  private static final long SHUTDOWN_QUIET_MS = 100;
  private static final long SHUTDOWN_TIMEOUT_MS = 5_000;

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel serverChannel;
  private final InetSocketAddress address;
  private final boolean tls;
  private final PrometheusMeterRegistry registry;

  private HttpFrontEnd(
      EventLoopGroup boss, EventLoopGroup workers, Channel serverChannel, boolean tls, PrometheusMeterRegistry registry) {
    this.boss = boss;
    this.workers = workers;
    this.serverChannel = serverChannel;
    this.address = (InetSocketAddress) serverChannel.localAddress();
    this.tls = tls;
    this.registry = registry;
  }

  /**
   * Binds and starts serving, with a registry of its own ({@code process=cairn, role=all}).
   *
   * @throws IOException if the port cannot be bound or the TLS files cannot be read
   */
  public static HttpFrontEnd start(FrontEndConfig config, DynamoDbService service, Authenticator authenticator)
      throws IOException {
    return start(config, service, authenticator,
        CairnMeters.newRegistry(CairnMeters.PROCESS_DEFAULT, CairnMeters.ROLE_ALL));
  }

  /**
   * Binds and starts serving, recording request meters into {@code registry} and serving all of it
   * on {@code GET /metrics}. Make it with {@link CairnMeters#newRegistry}; the caller owns it (the
   * front end does not close it).
   *
   * @throws IOException if the port cannot be bound or the TLS files cannot be read
   */
  public static HttpFrontEnd start(
      FrontEndConfig config, DynamoDbService service, Authenticator authenticator, PrometheusMeterRegistry registry)
      throws IOException {
    return start(config, service, authenticator, FrontEndChannels.CONNECTIONS_MAX, registry);
  }

  /** As {@link #start(FrontEndConfig, DynamoDbService, Authenticator)}, with a connection cap (for tests). */
  static HttpFrontEnd start(
      FrontEndConfig config, DynamoDbService service, Authenticator authenticator, int connectionsMax) throws IOException {
    return start(config, service, authenticator, connectionsMax,
        CairnMeters.newRegistry(CairnMeters.PROCESS_DEFAULT, CairnMeters.ROLE_ALL));
  }

  private static HttpFrontEnd start(
      FrontEndConfig config, DynamoDbService service, Authenticator authenticator, int connectionsMax,
      PrometheusMeterRegistry registry) throws IOException {
    Objects.requireNonNull(registry, "registry");
    SslContext ssl = config.tlsEnabled() ? sslContext(config) : null;
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(
        config.ioThreads(), epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    Class<? extends ServerSocketChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    ChannelInitializer<SocketChannel> initializer = FrontEndChannels.initializer(
        config, service, authenticator, ssl, connectionsMax, registry);
    try {
      Channel channel = new ServerBootstrap()
          .group(boss, workers)
          .channel(channelType)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true)
          .childHandler(initializer)
          .bind(config.host(), config.port())
          .sync()
          .channel();
      HttpFrontEnd frontEnd = new HttpFrontEnd(boss, workers, channel, ssl != null, registry);
      log.info("DynamoDB endpoint listening on {}://{} (transport {}, {} I/O threads)",
          ssl != null ? "https" : "http", frontEnd.address.getHostString() + ":" + frontEnd.address.getPort(), epoll ? "epoll" : "nio", config.ioThreads());
      return frontEnd;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutdown(boss, workers);
      throw new IOException("interrupted while binding " + config.host() + ":" + config.port(), e);
    } catch (RuntimeException e) {
      shutdown(boss, workers);
      throw new IOException("cannot bind " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
  }

  private static SslContext sslContext(FrontEndConfig config) throws IOException {
    try {
      return SslContextBuilder.forServer(config.tlsCertificateChainPem().toFile(), config.tlsPrivateKeyPem().toFile())
          .sslProvider(SslProvider.JDK)
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IOException("cannot load TLS certificate " + config.tlsCertificateChainPem() + " and key "
          + config.tlsPrivateKeyPem() + ": " + e.getMessage(), e);
    }
  }

  /** The bound address (with the real port when the configuration asked for port 0). */
  public InetSocketAddress address() {
    return address;
  }

  public boolean tlsEnabled() {
    return tls;
  }

  /** The registry the front end records into and serves on {@code GET /metrics}. */
  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  /**
   * Stops accepting, lets in-flight work finish for a short quiet period, then closes every
   * connection and stops the threads. Waits up to a few seconds.
   */
  @Override
  public void close() {
    serverChannel.close().awaitUninterruptibly();
    shutdown(boss, workers);
    log.info("DynamoDB endpoint on {} closed", address);
  }

  private static void shutdown(EventLoopGroup boss, EventLoopGroup workers) {
    boss.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    workers.shutdownGracefully(SHUTDOWN_QUIET_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    boss.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
    workers.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
  }
}
