package io.cairn.protocol.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.cairn.core.error.DynamoDbException;
import io.cairn.protocol.ErrorDetail;
import io.cairn.protocol.ServiceResponse;
import io.cairn.protocol.json.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.time.InstantSource;
import java.util.Date;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

/**
 * Builds every response the front end sends, so each one carries the same headers: the request
 * id, the CRC32 of the body bytes as sent (after gzip, which is what the AWS SDKs check: the Java
 * SDK v2 marks DynamoDB with "CRC32 from compressed data" and checks the checksum before
 * decompressing), the Date, keep-alive and CORS headers.
 */
public final class Responses {
  private Responses() {}

  public static final String CONTENT_TYPE_JSON = "application/x-amz-json-1.0";
  public static final String HEADER_REQUEST_ID = "x-amzn-RequestId";
  public static final String HEADER_CRC32 = "x-amz-crc32";
  /** Response headers a browser script may read (CORS). */
  public static final String EXPOSED_HEADERS =
      "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,x-amz-crc32,Date";

  /** What a response needs to know about the request it answers. */
  public record Exchange(String requestId, boolean keepAlive, boolean acceptsGzip, InstantSource clock) {}

  /** A success: the service's body. If writing it fails, the caller answers with an error instead. */
  public static FullHttpResponse success(ByteBufAllocator alloc, Exchange exchange, ServiceResponse body)
      throws IOException {
    ByteBuf json = alloc.buffer(256);
    try {
      try (OutputStream out = new ByteBufOutputStream(json);
          JsonGenerator generator = Json.FACTORY.createGenerator(out)) {
        body.writeBody(generator);
      }
      return jsonResponse(alloc, exchange, HttpResponseStatus.OK, json);
    } catch (IOException | RuntimeException e) {
      json.release();
      throw e;
    }
  }

  /** An error body {@code {"__type": ..., "message": ..., <detail fields>}}. */
  public static FullHttpResponse error(ByteBufAllocator alloc, Exchange exchange, DynamoDbException error) {
    ByteBuf json = alloc.buffer(192);
    try {
      try (OutputStream out = new ByteBufOutputStream(json);
          JsonGenerator generator = Json.FACTORY.createGenerator(out)) {
        generator.writeStartObject();
        generator.writeStringField("__type", error.type().wireType());
        if (error.getMessage() != null) {
          generator.writeStringField("message", error.getMessage());
        }
        if (error.detail() instanceof ErrorDetail detail) {
          detail.writeFields(generator);
        }
        generator.writeEndObject();
      }
    } catch (IOException | RuntimeException e) {
      // A detail that fails to write must not lose the error: fall back to the two standard fields.
      json.clear();
      json.writeCharSequence(
          "{\"__type\":\"" + error.type().wireType() + "\"}", java.nio.charset.StandardCharsets.UTF_8);
    }
    return jsonResponse(alloc, exchange, HttpResponseStatus.valueOf(error.type().httpStatus()), json);
  }

  private static FullHttpResponse jsonResponse(
      ByteBufAllocator alloc, Exchange exchange, HttpResponseStatus status, ByteBuf json) {
    ByteBuf body = json;
    boolean gzipped = false;
    if (exchange.acceptsGzip()) {
      body = gzip(alloc, json);
      json.release();
      gzipped = true;
    }
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    HttpHeaders headers = response.headers();
    headers.set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE_JSON);
    if (gzipped) {
      headers.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
    }
    headers.set(HEADER_CRC32, Long.toString(crc32(body)));
    common(headers, exchange, body.readableBytes());
    return response;
  }

  /** Plain text, for the health check. */
  public static FullHttpResponse text(ByteBufAllocator alloc, Exchange exchange, HttpResponseStatus status, String text) {
    ByteBuf body = alloc.buffer(text.length());
    body.writeCharSequence(text, java.nio.charset.StandardCharsets.UTF_8);
    return text(exchange, status, "text/plain", body);
  }

  /** A text body already written, e.g. a metrics scrape; the response takes ownership of {@code body}. */
  public static FullHttpResponse text(Exchange exchange, HttpResponseStatus status, String contentType, ByteBuf body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().set(HEADER_CRC32, Long.toString(crc32(body)));
    common(response.headers(), exchange, body.readableBytes());
    return response;
  }

  /** The answer to a CORS preflight (OPTIONS): everything allowed, cached for two days. */
  public static FullHttpResponse preflight(ByteBufAllocator alloc, Exchange exchange, String requestedHeaders) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, alloc.buffer(0));
    HttpHeaders headers = response.headers();
    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET,POST,OPTIONS");
    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
        requestedHeaders == null || requestedHeaders.isBlank()
            ? "Authorization,Content-Type,Content-Encoding,X-Amz-Date,X-Amz-Target,X-Amz-Content-Sha256,"
                + "X-Amz-Security-Token,X-Amz-User-Agent,Amz-Sdk-Invocation-Id,Amz-Sdk-Request"
            : requestedHeaders);
    headers.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "172800");
    headers.set(HEADER_CRC32, "0");
    common(headers, exchange, 0);
    return response;
  }

  private static void common(HttpHeaders headers, Exchange exchange, int contentLength) {
    headers.set(HEADER_REQUEST_ID, exchange.requestId());
    headers.set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
    headers.set(HttpHeaderNames.DATE, DateFormatter.format(Date.from(exchange.clock().instant())));
    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    headers.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
    headers.set(HttpHeaderNames.CONNECTION,
        exchange.keepAlive() ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
  }

  static long crc32(ByteBuf body) {
    CRC32 crc = new CRC32();
    crc.update(body.nioBuffer(body.readerIndex(), body.readableBytes()));
    return crc.getValue();
  }

  private static ByteBuf gzip(ByteBufAllocator alloc, ByteBuf json) {
    ByteBuf compressed = alloc.buffer(Math.max(64, json.readableBytes() / 3));
    try (OutputStream out = new GZIPOutputStream(new ByteBufOutputStream(compressed), 8192)) {
      json.getBytes(json.readerIndex(), out, json.readableBytes());
    } catch (IOException e) {
      compressed.release();
      throw new IllegalStateException("gzip into memory failed", e);
    }
    return compressed;
  }
}
