package io.gopherlens.receiver;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * Admits or refuses an OTLP/HTTP request from its headers alone (path, method, token, content
 * type and encoding, declared length, in-flight budget), then reads its body into one buffer,
 * counting bytes as they arrive rather than trusting Content-Length. A refused request is
 * answered at once; its body, if the client sends it anyway, is read and thrown away so the
 * client sees the answer rather than a reset, and the connection is then closed.
 */
final class OtlpHttpRequestReader extends ChannelInboundHandlerAdapter {
  private final ReceiverSettings settings;
  private final BearerAuth auth;
  private final InflightBudget budget;
  private final ReceiverStats stats;

  private Signal signal;
  private OtlpEncoding encoding;
  private boolean gzip;
  private boolean keepAlive;
  private boolean discarding;
  private boolean closeAfterDrain;
  private boolean lengthReserved;
  private ByteBuf body;
  private long reserved;

  OtlpHttpRequestReader(ReceiverSettings settings, BearerAuth auth, InflightBudget budget, ReceiverStats stats) {
    this.settings = settings;
    this.auth = auth;
    this.budget = budget;
    this.stats = stats;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest request) {
        deadlines(ctx).headersReceived();
        start(ctx, request);
      }
      if (msg instanceof HttpContent content) {
        content(ctx, content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void start(ChannelHandlerContext ctx, HttpRequest request) {
    releaseBody();
    discarding = false;
    closeAfterDrain = false;
    keepAlive = HttpUtil.isKeepAlive(request);
    DecoderResult decoded = request.decoderResult();
    signal = null;
    if (!decoded.isSuccess()) {
      HttpResponseStatus status =
          decoded.cause() instanceof TooLongFrameException
              ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
              : HttpResponseStatus.BAD_REQUEST;
      // The codec cannot find the next request after a framing error: close once answered.
      refuse(ctx, null, RefusalReason.MALFORMED, status, "malformed HTTP request: " + decoded.cause().getMessage());
      closeAfterDrain = true;
      ctx.close();
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    signal = Signal.forPath(path);
    if (signal == null) {
      refuse(ctx, null, null, HttpResponseStatus.NOT_FOUND, "no OTLP endpoint at " + abbreviate(path) + "; use /v1/metrics, /v1/logs or /v1/traces");
      return;
    }
    HttpHeaders headers = request.headers();
    encoding = OtlpEncoding.forContentType(headers.get(HttpHeaderNames.CONTENT_TYPE));
    if (!request.method().equals(HttpMethod.POST)) {
      refuse(ctx, encoding, null, HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + request.method() + " not allowed on " + path + "; OTLP/HTTP uses POST");
      return;
    }
    if (!auth.allows(headers.get(HttpHeaderNames.AUTHORIZATION))) {
      refuse(ctx, encoding, RefusalReason.UNAUTHORIZED, HttpResponseStatus.UNAUTHORIZED, "missing or wrong bearer token; send Authorization: Bearer <receiver token>");
      return;
    }
    if (encoding == null) {
      refuse(ctx, null, RefusalReason.UNSUPPORTED_MEDIA_TYPE, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          "unsupported Content-Type '" + abbreviate(String.valueOf(headers.get(HttpHeaderNames.CONTENT_TYPE))) + "'; use application/x-protobuf or application/json");
      return;
    }
    String contentEncoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
    gzip = contentEncoding != null && contentEncoding.trim().equalsIgnoreCase("gzip");
    if (contentEncoding != null && !gzip && !contentEncoding.trim().equalsIgnoreCase("identity")) {
      refuse(ctx, encoding, RefusalReason.UNSUPPORTED_MEDIA_TYPE, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          "unsupported Content-Encoding '" + abbreviate(contentEncoding) + "'; use gzip or none");
      return;
    }
    long length = HttpUtil.getContentLength(request, -1L);
    if (length > settings.maxBody()) {
      refuse(ctx, encoding, RefusalReason.TOO_LARGE, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
          "body of " + length + " bytes exceeds receiver.max_body (" + settings.maxBody() + " bytes); send smaller batches");
      return;
    }
    // With a declared length, reserve it all now, so an over-budget request is refused before
    // a byte of its body is buffered; a chunked body reserves as it arrives.
    lengthReserved = length >= 0;
    if (lengthReserved && !reserve(ctx, length)) {
      return;
    }
    body = ctx.alloc().heapBuffer((int) Math.min(Math.max(length, 0), 64 << 10), (int) settings.maxBody());
    if (HttpUtil.is100ContinueExpected(request)) {
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
  }

  private void content(ChannelHandlerContext ctx, HttpContent content) {
    if (body != null && !discarding) {
      ByteBuf chunk = content.content();
      int n = chunk.readableBytes();
      if ((long) body.readableBytes() + n > settings.maxBody()) {
        refuse(ctx, encoding, RefusalReason.TOO_LARGE, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            "body exceeds receiver.max_body (" + settings.maxBody() + " bytes); send smaller batches");
      } else if (!lengthReserved && !reserve(ctx, n)) {
        // refused by reserve()
      } else if (lengthReserved && body.readableBytes() + n > reserved) {
        refuse(ctx, encoding, RefusalReason.MALFORMED, HttpResponseStatus.BAD_REQUEST, "body is longer than its Content-Length");
        closeAfterDrain = true;
      } else {
        body.writeBytes(chunk);
      }
    }
    if (content instanceof LastHttpContent) {
      if (discarding) {
        deadlines(ctx).requestDone(ctx);
        if (closeAfterDrain || !keepAlive) ctx.close();
        return;
      }
      if (body == null) {
        return; // answered from the headers (e.g. 404) and had no body to drain
      }
      deadlines(ctx).bodyReceived();
      OtlpHttpRequest request = new OtlpHttpRequest(signal, encoding, gzip, keepAlive, body, reserved);
      body = null;
      reserved = 0;
      ctx.fireChannelRead(request);
    }
  }

  private boolean reserve(ChannelHandlerContext ctx, long bytes) {
    if (budget.tryAcquire(bytes)) {
      reserved += bytes;
      return true;
    }
    refuse(ctx, encoding, RefusalReason.OVERLOADED, HttpResponseStatus.TOO_MANY_REQUESTS,
        "receiver is at its in-flight limit (receiver.max_inflight_bytes = " + budget.maxBytes() + "); retry after the Retry-After delay");
    return false;
  }

  /**
   * Answers now; the rest of the body is read and dropped, then the connection is kept (the
   * client asked for keep-alive and the framing is intact) or closed.
   */
  private void refuse(ChannelHandlerContext ctx, OtlpEncoding enc, RefusalReason reason, HttpResponseStatus status, String message) {
    if (reason != null) {
      stats.countRefused(signal, reason);
    }
    releaseBody();
    discarding = true;
    deadlines(ctx).answered();
    ctx.writeAndFlush(OtlpHttpResponses.error(ctx.alloc(), enc, status, message, settings.retryAfter(), keepAlive));
  }

  private void releaseBody() {
    if (body != null) {
      body.release();
      body = null;
    }
    if (reserved > 0) {
      budget.release(reserved);
      reserved = 0;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseBody();
    ctx.fireChannelInactive();
  }

  private static RequestDeadlines deadlines(ChannelHandlerContext ctx) {
    return ctx.pipeline().get(RequestDeadlines.class);
  }

  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
