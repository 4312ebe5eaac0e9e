package io.cairn.protocol.http;

import io.cairn.protocol.auth.SignedRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import java.nio.ByteBuffer;
import java.util.List;

/** A Netty request seen through the {@link SignedRequest} interface, without copying headers. */
final class NettySignedRequest implements SignedRequest {
  private final FullHttpRequest request;
  private final String rawPath;
  private final String rawQuery;

  NettySignedRequest(FullHttpRequest request) {
    this.request = request;
    String uri = request.uri();
    int question = uri.indexOf('?');
    this.rawPath = question < 0 ? uri : uri.substring(0, question);
    this.rawQuery = question < 0 ? "" : uri.substring(question + 1);
  }

  @Override
  public String method() {
    return request.method().name();
  }

  @Override
  public String rawPath() {
    return rawPath;
  }

  @Override
  public String rawQuery() {
    return rawQuery;
  }

  @Override
  public List<String> headerValues(String lowerCaseName) {
    return request.headers().getAll(lowerCaseName);
  }

  @Override
  public ByteBuffer body() {
    return request.content().nioBuffer();
  }
}
