package io.cairn.protocol.http;

import io.cairn.protocol.DynamoDbService;
import io.cairn.protocol.FrontEndConfig;
import io.cairn.protocol.auth.Authenticator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The per-connection pipeline: [TLS] → HTTP codec → idle timer → bounded aggregator → handler. */
public final class FrontEndChannels {
  private FrontEndChannels() {}

  private static final Logger log = LoggerFactory.getLogger(FrontEndChannels.class);

  static final int INITIAL_LINE_CHARS_MAX = 8 * 1024;
  static final int HEADER_BYTES_MAX = 32 * 1024;
  static final int CHUNK_BYTES_MAX = 64 * 1024;
  /** Open connections per front end; one more is closed as soon as it is accepted. */
  public static final int CONNECTIONS_MAX = 10_000;

  public static ChannelInitializer<SocketChannel> initializer(
      FrontEndConfig config, DynamoDbService service, Authenticator authenticator, SslContext ssl, int connectionsMax,
      PrometheusMeterRegistry registry) {
    RequestIds requestIds = new RequestIds(config.requestIdSeed());
    // One set of request meters per front end, shared by every connection.
    RequestMeters meters = new RequestMeters(registry, service::supports);
    AtomicInteger connectionsOpen = new AtomicInteger();
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel channel) {
        if (connectionsOpen.incrementAndGet() > connectionsMax) {
          connectionsOpen.decrementAndGet();
          log.warn("refusing a connection from {}: {} connections are open", channel.remoteAddress(), connectionsMax);
          channel.close();
          return;
        }
        channel.closeFuture().addListener(closed -> connectionsOpen.decrementAndGet());
        ChannelPipeline pipeline = channel.pipeline();
        if (ssl != null) {
          pipeline.addLast("tls", ssl.newHandler(channel.alloc()));
        }
        pipeline.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
            .setMaxInitialLineLength(INITIAL_LINE_CHARS_MAX)
            .setMaxHeaderSize(HEADER_BYTES_MAX)
            .setMaxChunkSize(CHUNK_BYTES_MAX)));
        pipeline.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        pipeline.addLast("aggregate", new BoundedAggregator(config.requestBodyBytesMax(), requestIds, config.clock(), meters));
        pipeline.addLast("dynamodb", new DynamoDbHttpHandler(
            service, authenticator, requestIds, config.clock(), config.region(), config.decompressedBodyBytesMax(),
            meters, registry));
      }
    };
  }
}
