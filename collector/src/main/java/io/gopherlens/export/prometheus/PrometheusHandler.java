package io.gopherlens.export.prometheus;

import io.gopherlens.log.Log;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * Routes a request: {@code /metrics} (scrape), {@code /healthz} (200 while serving), {@code
 * /readyz} (200 or 503 from the readiness check); 404 for other paths, 405 for methods other than
 * GET and HEAD. Shared by all connections of one server.
 */
@ChannelHandler.Sharable
final class PrometheusHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Log LOG = Log.of(PrometheusHandler.class);
  private static final String PLAIN = "text/plain; charset=utf-8";
  private static final String ALLOWED = "GET, HEAD";

  private final PrometheusScraper scraper;
  private final BooleanSupplier readiness;

  PrometheusHandler(PrometheusScraper scraper, BooleanSupplier readiness) {
    this.scraper = scraper;
    this.readiness = readiness;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      respond(
          ctx,
          request,
          HttpResponseStatus.BAD_REQUEST,
          PLAIN,
          text(ctx, "malformed HTTP request\n"));
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    boolean known = path.equals("/metrics") || path.equals("/healthz") || path.equals("/readyz");
    if (!known) {
      respond(
          ctx,
          request,
          HttpResponseStatus.NOT_FOUND,
          PLAIN,
          text(ctx, "no such endpoint: " + path + "; try /metrics, /healthz or /readyz\n"));
      return;
    }
    HttpMethod method = request.method();
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      respond(
          ctx,
          request,
          HttpResponseStatus.METHOD_NOT_ALLOWED,
          PLAIN,
          text(ctx, "method " + method + " not allowed on " + path + "; use GET or HEAD\n"));
      return;
    }
    switch (path) {
      case "/metrics":
        metrics(ctx, request);
        break;
      case "/healthz":
        respond(ctx, request, HttpResponseStatus.OK, PLAIN, text(ctx, "ok"));
        break;
      default:
        if (readiness.getAsBoolean()) {
          respond(ctx, request, HttpResponseStatus.OK, PLAIN, text(ctx, "ready"));
        } else {
          respond(
              ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, PLAIN, text(ctx, "not ready"));
        }
    }
  }

  private void metrics(ChannelHandlerContext ctx, FullHttpRequest request) {
    ExpositionFormat format =
        ExpositionFormat.negotiate(request.headers().get(HttpHeaderNames.ACCEPT));
    ByteBuf body;
    try {
      body = scraper.scrape(ctx.alloc(), format);
    } catch (RuntimeException e) {
      if (WarnOnce.first("scrape:" + e.getClass().getName())) {
        LOG.warn("failed to collect or render metrics for a scrape", "error", e.toString());
      }
      respond(
          ctx,
          request,
          HttpResponseStatus.INTERNAL_SERVER_ERROR,
          PLAIN,
          text(ctx, "failed to collect or render metrics: " + e + "; see the collector log\n"));
      return;
    }
    respond(ctx, request, HttpResponseStatus.OK, format.contentType(), body);
  }

  /**
   * Sends {@code body} (taking ownership of it). HEAD gets the same headers, Content-Length
   * included, without the body.
   */
  private static void respond(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      HttpResponseStatus status,
      String contentType,
      ByteBuf body) {
    int length = body.readableBytes();
    ByteBuf content = body;
    if (request.method().equals(HttpMethod.HEAD)) {
      body.release();
      content = Unpooled.EMPTY_BUFFER;
    }
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    HttpHeaders headers = response.headers();
    headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, length);
    if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
      headers.set(HttpHeaderNames.ALLOW, ALLOWED);
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
    HttpUtil.setKeepAlive(response, keepAlive);
    ChannelFuture written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static ByteBuf text(ChannelHandlerContext ctx, String s) {
    return ByteBufUtil.writeUtf8(ctx.alloc(), s);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A scraper hanging up mid-response is routine; anything else is worth one log line.
    if (!(cause instanceof IOException)
        && WarnOnce.first("channel:" + cause.getClass().getName())) {
      LOG.warn(
          "closing a Prometheus connection after an error",
          "error",
          cause.toString(),
          "remote",
          String.valueOf(ctx.channel().remoteAddress()));
    }
    ctx.close();
  }
}
