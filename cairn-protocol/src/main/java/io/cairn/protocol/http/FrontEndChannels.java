package io.cairn.protocol.http;

import io.cairn.protocol.DynamoDbService;
import io.cairn.protocol.FrontEndConfig;
import io.cairn.protocol.auth.Authenticator;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** The per-connection pipeline: [TLS] → HTTP codec → idle timer → bounded aggregator → handler. */
public final class FrontEndChannels {
  private FrontEndChannels() {}

  static final int INITIAL_LINE_CHARS_MAX = 8 * 1024;
  static final int HEADER_BYTES_MAX = 32 * 1024;
  static final int CHUNK_BYTES_MAX = 64 * 1024;

  public static ChannelInitializer<SocketChannel> initializer(
      FrontEndConfig config, DynamoDbService service, Authenticator authenticator, SslContext ssl) {
    RequestIds requestIds = new RequestIds(config.requestIdSeed());
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (ssl != null) {
          pipeline.addLast("tls", ssl.newHandler(channel.alloc()));
        }
        pipeline.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
            .setMaxInitialLineLength(INITIAL_LINE_CHARS_MAX)
            .setMaxHeaderSize(HEADER_BYTES_MAX)
            .setMaxChunkSize(CHUNK_BYTES_MAX)));
        pipeline.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        pipeline.addLast("aggregate", new BoundedAggregator(config.requestBodyBytesMax(), requestIds, config.clock()));
        pipeline.addLast("dynamodb", new DynamoDbHttpHandler(
            service, authenticator, requestIds, config.clock(), config.region(), config.decompressedBodyBytesMax()));
      }
    };
  }
}
