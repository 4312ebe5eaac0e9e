package io.cairn.protocol.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.cairn.protocol.DynamoDbService;
import io.cairn.protocol.RequestContext;
import io.cairn.protocol.ServiceResponse;
import io.cairn.protocol.auth.Authenticator;
import io.cairn.protocol.auth.Principal;
import io.cairn.protocol.json.Json;
import io.cairn.protocol.metrics.CairnMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's request handling: routing (health check, metrics, CORS preflight, operations),
 * target and content-type checks, authentication, decompression, JSON parsing, the service call,
 * and the response.
 *
 * <p>Requests on one connection are answered strictly in order (HTTP/1.1 pipelining): while one is
 * in flight the channel stops reading, and requests already decoded wait in a small queue. So a
 * connection buffers at most one read's worth of requests, never an unbounded amount. The service
 * runs on the event loop and completes later; the response is written on the channel's event
 * loop.
 *
 * <p>Every answered POST is counted once in {@link RequestMeters} (by operation and outcome), and a
 * successful one is timed; the health check, {@code GET /metrics} and CORS preflights are not.
 */
final class DynamoDbHttpHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(DynamoDbHttpHandler.class);

  static final String TARGET_PREFIX = "DynamoDB_20120810.";
  static final String HEADER_TARGET = "x-amz-target";
  /** Requests decoded while another is in flight; more than this closes the connection. */
  static final int PIPELINED_REQUESTS_MAX = 16;
  /** The path Prometheus scrapes; any other GET or HEAD is the health check. */
  static final String METRICS_PATH = "/metrics";
  private static final int METRICS_BODY_BYTES_INITIAL = 16 * 1024;

  private final DynamoDbService service;
  private final Authenticator authenticator;
  private final RequestIds requestIds;
  private final InstantSource clock;
  private final String healthText;
  private final int decompressedBodyBytesMax;
  private final RequestMeters meters;
  private final PrometheusMeterRegistry registry;

  private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>();
  private boolean inFlight;
  private boolean closed;

  DynamoDbHttpHandler(
      DynamoDbService service, Authenticator authenticator, RequestIds requestIds, InstantSource clock,
      String region, int decompressedBodyBytesMax, RequestMeters meters, PrometheusMeterRegistry registry) {
    this.service = service;
    this.authenticator = authenticator;
    this.requestIds = requestIds;
    this.clock = clock;
    this.healthText = "healthy: dynamodb." + region + ".amazonaws.com ";
    this.decompressedBodyBytesMax = decompressedBodyBytesMax;
    this.meters = meters;
    this.registry = registry;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (inFlight) {
      if (pending.size() >= PIPELINED_REQUESTS_MAX) {
        request.release();
        ctx.close();
        return;
      }
      pending.add(request);
      return;
    }
    handle(ctx, request);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closed = true;
    FullHttpRequest request;
    while ((request = pending.poll()) != null) {
      request.release();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // I/O errors (a reset connection, a TLS failure) end the connection, not the server.
    log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    long receivedNanos = System.nanoTime();
    long startNanos = meters.startNanos();
    inFlight = true;
    ctx.channel().config().setAutoRead(false);
    String requestId = requestIds.next();
    boolean decodedWell = request.decoderResult().isSuccess();
    boolean keepAlive = decodedWell && HttpUtil.isKeepAlive(request);
    Responses.Exchange exchange = new Responses.Exchange(requestId, keepAlive, acceptsGzip(request), clock);
    String operation = "(none)";
    // Until the target names an implemented operation, an error is counted as "unknown".
    RequestMeters.OperationMeters metered = meters.unknown();
    try {
      if (!decodedWell) {
        metered.failed(ErrorType.SERIALIZATION);
        respond(ctx, exchange, Responses.error(ctx.alloc(), exchange,
            DynamoDbException.serialization("Malformed HTTP request")));
        return;
      }
      HttpMethod method = request.method();
      if (HttpMethod.OPTIONS.equals(method)) {
        respond(ctx, exchange, Responses.preflight(ctx.alloc(), exchange,
            request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS)));
        return;
      }
      if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
        respond(ctx, exchange, isMetricsPath(request.uri())
            ? metrics(ctx, exchange)
            : Responses.text(ctx.alloc(), exchange, HttpResponseStatus.OK, healthText));
        return;
      }
      if (!HttpMethod.POST.equals(method)) {
        throw new DynamoDbException(ErrorType.UNKNOWN_OPERATION, null);
      }
      // DynamoDB's order: target and content type, then the body, then the signature. So an
      // unsigned request with a malformed body gets a SerializationException, as it does there.
      operation = operation(request);
      if (!service.supports(operation)) {
        throw new DynamoDbException(ErrorType.UNKNOWN_OPERATION, null);
      }
      metered = meters.operation(operation);
      byte[] raw = ByteBufUtil.getBytes(request.content());
      byte[] body = BodyDecoder.decode(
          raw, request.headers().get(HttpHeaderNames.CONTENT_ENCODING), decompressedBodyBytesMax);
      ObjectNode json = Json.parseRequestBody(body);
      Principal principal = authenticator.authenticate(new NettySignedRequest(request));
      release(request);
      RequestContext context = new RequestContext(requestId, principal.accessKeyId(), principal.region(), receivedNanos);
      CompletionStage<ServiceResponse> stage = service.call(operation, json, context);
      String calledOperation = operation;
      RequestMeters.OperationMeters calledMeters = metered;
      stage.whenComplete((response, failure) -> {
        if (ctx.executor().inEventLoop()) {
          complete(ctx, exchange, calledOperation, calledMeters, startNanos, response, failure);
        } else {
          ctx.executor().execute(
              () -> complete(ctx, exchange, calledOperation, calledMeters, startNanos, response, failure));
        }
      });
    } catch (DynamoDbException e) {
      metered.failed(e.type());
      respond(ctx, exchange, Responses.error(ctx.alloc(), exchange, e));
    } catch (RuntimeException e) {
      metered.failed(ErrorType.INTERNAL_SERVER_ERROR);
      respond(ctx, exchange, internalError(ctx, exchange, operation, e));
    } finally {
      release(request);
    }
  }

  private static void release(FullHttpRequest request) {
    if (request.refCnt() > 0) {
      request.release();
    }
  }

  private void complete(
      ChannelHandlerContext ctx, Responses.Exchange exchange, String operation, RequestMeters.OperationMeters metered,
      long startNanos, ServiceResponse response, Throwable failure) {
    FullHttpResponse http;
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof DynamoDbException e) {
      if (e.type().httpStatus() >= 500) {
        log.warn("request {} operation {} failed: {}", exchange.requestId(), operation, e.toString());
      }
      metered.failed(e.type());
      http = Responses.error(ctx.alloc(), exchange, e);
    } else if (cause != null) {
      metered.failed(ErrorType.INTERNAL_SERVER_ERROR);
      http = internalError(ctx, exchange, operation, cause);
    } else if (response == null) {
      metered.failed(ErrorType.INTERNAL_SERVER_ERROR);
      http = internalError(ctx, exchange, operation, new IllegalStateException("service returned no response"));
    } else {
      try {
        http = Responses.success(ctx.alloc(), exchange, response);
        metered.succeeded(startNanos);
      } catch (DynamoDbException e) {
        metered.failed(e.type());
        http = Responses.error(ctx.alloc(), exchange, e);
      } catch (Exception e) {
        metered.failed(ErrorType.INTERNAL_SERVER_ERROR);
        http = internalError(ctx, exchange, operation, e);
      }
    }
    respond(ctx, exchange, http);
  }

  static boolean isMetricsPath(String uri) {
    return uri.equals(METRICS_PATH)
        || (uri.startsWith(METRICS_PATH) && uri.length() > METRICS_PATH.length() && uri.charAt(METRICS_PATH.length()) == '?');
  }

  /**
   * Every meter of the registry in the Prometheus text format. Unauthenticated, like the health
   * check: it carries counts and latencies, no keys or items. The scrape runs on the event loop;
   * its size is bounded by the number of series, which no client can grow (see RequestMeters).
   */
  private FullHttpResponse metrics(ChannelHandlerContext ctx, Responses.Exchange exchange) {
    ByteBuf body = ctx.alloc().buffer(METRICS_BODY_BYTES_INITIAL);
    try (OutputStream out = new ByteBufOutputStream(body)) {
      registry.scrape(out);
    } catch (IOException | RuntimeException e) {
      body.release();
      log.warn("metrics scrape failed: {}", e.toString());
      return Responses.text(ctx.alloc(), exchange, HttpResponseStatus.INTERNAL_SERVER_ERROR, "metrics unavailable\n");
    }
    return Responses.text(exchange, HttpResponseStatus.OK, CairnMeters.PROMETHEUS_CONTENT_TYPE, body);
  }

  private FullHttpResponse internalError(
      ChannelHandlerContext ctx, Responses.Exchange exchange, String operation, Throwable cause) {
    log.error("request {} operation {} failed with an unexpected error", exchange.requestId(), operation, cause);
    return Responses.error(ctx.alloc(), exchange,
        new DynamoDbException(ErrorType.INTERNAL_SERVER_ERROR, "Internal server error"));
  }

  private void respond(ChannelHandlerContext ctx, Responses.Exchange exchange, FullHttpResponse response) {
    if (closed) {
      response.release();
      return;
    }
    if (!exchange.keepAlive()) {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.writeAndFlush(response).addListener((ChannelFutureListener) future -> {
      if (!future.isSuccess()) {
        future.channel().close();
        return;
      }
      inFlight = false;
      FullHttpRequest next = pending.poll();
      if (next != null) {
        handle(ctx, next);
      } else {
        ctx.channel().config().setAutoRead(true);
      }
    });
  }

  /** The operation named by X-Amz-Target, after checking the target and the content type. */
  private static String operation(FullHttpRequest request) {
    String target = request.headers().get(HEADER_TARGET);
    String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (target == null || !target.startsWith(TARGET_PREFIX) || target.length() == TARGET_PREFIX.length()
        || !acceptedContentType(contentType)) {
      throw new DynamoDbException(ErrorType.UNKNOWN_OPERATION, null);
    }
    return target.substring(TARGET_PREFIX.length());
  }

  private static boolean acceptedContentType(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/x-amz-json-1.0") || mediaType.equals("application/json");
  }

  private static boolean acceptsGzip(FullHttpRequest request) {
    for (String value : request.headers().getAll(HttpHeaderNames.ACCEPT_ENCODING)) {
      for (String coding : value.split(",")) {
        String trimmed = coding.strip().toLowerCase(Locale.ROOT);
        if (trimmed.equals("gzip") || (trimmed.startsWith("gzip;") && !trimmed.replace(" ", "").endsWith("q=0"))) {
          return true;
        }
      }
    }
    return false;
  }
}
