package io.gopherlens.receiver;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;

/**
 * OTLP/HTTP responses as the spec has them: the Export*ServiceResponse on success and a
 * google.rpc.Status on failure, each in the request's encoding (protobuf when the request's own
 * was not understood); Retry-After on the retryable 429 and 503.
 */
final class OtlpHttpResponses {
  private OtlpHttpResponses() {}

  static FullHttpResponse success(OtlpEncoding encoding, Message response, boolean keepAlive) {
    return response(HttpResponseStatus.OK, encoding, encoding.encode(response), keepAlive);
  }

  static FullHttpResponse error(
      ByteBufAllocator alloc, OtlpEncoding encoding, HttpResponseStatus status, String message, Duration retryAfter, boolean keepAlive) {
    OtlpEncoding enc = encoding == null ? OtlpEncoding.PROTOBUF : encoding;
    Status body = Status.newBuilder().setCode(grpcCode(status).getNumber()).setMessage(message).build();
    FullHttpResponse r = response(status, enc, enc.encode(body), keepAlive);
    if (status.equals(HttpResponseStatus.TOO_MANY_REQUESTS) || status.equals(HttpResponseStatus.SERVICE_UNAVAILABLE)) {
      r.headers().set(HttpHeaderNames.RETRY_AFTER, Math.max(1, retryAfter.toSeconds()));
    }
    if (status.equals(HttpResponseStatus.UNAUTHORIZED)) {
      r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
    }
    if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
      r.headers().set(HttpHeaderNames.ALLOW, "POST");
    }
    return r;
  }

  private static FullHttpResponse response(HttpResponseStatus status, OtlpEncoding enc, byte[] body, boolean keepAlive) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, enc.contentType);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    HttpUtil.setKeepAlive(r, keepAlive);
    if (!keepAlive) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return r;
  }

  /** The Status code field mirrors the HTTP status, as gRPC's HTTP mapping does. */
  private static Code grpcCode(HttpResponseStatus status) {
    return switch (status.code()) {
      case 400, 404, 405, 411, 415, 431 -> Code.INVALID_ARGUMENT;
      case 401 -> Code.UNAUTHENTICATED;
      case 408 -> Code.DEADLINE_EXCEEDED;
      case 413, 429 -> Code.RESOURCE_EXHAUSTED;
      case 503 -> Code.UNAVAILABLE;
      default -> Code.INTERNAL;
    };
  }
}
