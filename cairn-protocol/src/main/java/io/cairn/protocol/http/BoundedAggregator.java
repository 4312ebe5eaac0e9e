package io.cairn.protocol.http;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.time.InstantSource;

/**
 * Netty's aggregator with DynamoDB's answer to an oversized body: a RequestEntityTooLarge error
 * body with the usual headers instead of Netty's bare 413, both when the body turns out too large
 * and when an {@code Expect: 100-continue} announces it. The rest of an oversized body is
 * discarded, not buffered, and a keep-alive connection stays usable.
 */
final class BoundedAggregator extends HttpObjectAggregator {
  private final int bodyBytesMax;
  private final RequestIds requestIds;
  private final InstantSource clock;
  private final RequestMeters meters;

  BoundedAggregator(int bodyBytesMax, RequestIds requestIds, InstantSource clock, RequestMeters meters) {
    super(bodyBytesMax);
    this.bodyBytesMax = bodyBytesMax;
    this.requestIds = requestIds;
    this.clock = clock;
    this.meters = meters;
  }

  @Override
  protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    Object response = super.newContinueResponse(start, maxContentLength, pipeline);
    if (response instanceof HttpResponse netty && netty.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
      // Netty's own 413 response is a shared constant; it is never released, so no release here.
      boolean keepAlive = HttpUtil.isKeepAlive(start);
      return tooLarge(pipeline.channel().alloc(), start, keepAlive);
    }
    return response;
  }

  @Override
  protected boolean closeAfterContinueResponse(Object msg) {
    if (msg instanceof HttpResponse response && response.status().code() == 413) {
      return !HttpUtil.isKeepAlive(response);
    }
    return super.closeAfterContinueResponse(msg);
  }

  @Override
  protected boolean ignoreContentAfterContinueResponse(Object msg) {
    if (msg instanceof HttpResponse response && response.status().code() == 413) {
      return true;
    }
    return super.ignoreContentAfterContinueResponse(msg);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    boolean keepAlive = HttpUtil.isKeepAlive(oversized) && !(oversized instanceof FullHttpMessage);
    FullHttpResponse response = tooLarge(ctx.alloc(), oversized, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private FullHttpResponse tooLarge(io.netty.buffer.ByteBufAllocator alloc, HttpMessage request, boolean keepAlive) {
    // Counted under the operation its target names (if implemented); the handler never sees it.
    meters.operation(operation(request)).failed(ErrorType.REQUEST_ENTITY_TOO_LARGE);
    Responses.Exchange exchange = new Responses.Exchange(requestIds.next(), keepAlive, false, clock);
    DynamoDbException error = BodyDecoder.tooLarge(bodyBytesMax);
    return Responses.error(alloc, exchange, error);
  }

  /** The operation an X-Amz-Target names, or "" when it names none (RequestMeters counts that as unknown). */
  private static String operation(HttpMessage request) {
    String target = request.headers().get(DynamoDbHttpHandler.HEADER_TARGET);
    return target != null && target.startsWith(DynamoDbHttpHandler.TARGET_PREFIX)
        ? target.substring(DynamoDbHttpHandler.TARGET_PREFIX.length())
        : "";
  }
}
