package io.gopherlens.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP receiver on loopback for tests: OTLP/HTTP (protobuf over HTTP/1.1, /v1/metrics,
 * /v1/logs, /v1/traces) or OTLP/gRPC (HTTP/2 without TLS, length-prefixed messages, grpc-status trailers).
 * It decodes each request with the official opentelemetry-proto messages and keeps them, with
 * the request headers, for the test to inspect.
 */
public final class OtlpPeer implements AutoCloseable {
  public static final String GRPC_METRICS = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
  public static final String GRPC_LOGS = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
  public static final String GRPC_TRACES = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  public final BlockingQueue<ExportMetricsServiceRequest> metrics = new LinkedBlockingQueue<>();
  public final BlockingQueue<ExportLogsServiceRequest> logs = new LinkedBlockingQueue<>();
  public final BlockingQueue<ExportTraceServiceRequest> traces = new LinkedBlockingQueue<>();
  /** Request headers seen so far, lower-case names; a later request's value wins. */
  public final Map<String, String> lastHeaders = new ConcurrentHashMap<>();

  /** @param pipeline sets up an accepted connection's pipeline; its handlers record into this peer */
  private OtlpPeer(BiConsumer<OtlpPeer, SocketChannel> pipeline) throws InterruptedException {
    ChannelInitializer<SocketChannel> initializer =
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            pipeline.accept(OtlpPeer.this, ch);
          }
        };
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(initializer)
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  /** OTLP/HTTP with protobuf bodies (gzip or not). */
  public static OtlpPeer http() throws InterruptedException {
    return new OtlpPeer(
        (peer, ch) ->
            ch.pipeline()
                .addLast(new HttpServerCodec(), new HttpContentDecompressor(0), new HttpObjectAggregator(16 << 20))
                .addLast(peer.new HttpHandler()));
  }

  /** OTLP/gRPC in plain text (h2c with prior knowledge, as gRPC clients speak to http:// targets). */
  public static OtlpPeer grpc() throws InterruptedException {
    return new OtlpPeer(
        (peer, ch) ->
            ch.pipeline()
                .addLast(Http2FrameCodecBuilder.forServer().build())
                .addLast(
                    new Http2MultiplexHandler(
                        new ChannelInitializer<Http2StreamChannel>() {
                          @Override
                          protected void initChannel(Http2StreamChannel stream) {
                            stream.pipeline().addLast(peer.new GrpcStreamHandler());
                          }
                        })));
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /** The next metrics request, or fails after {@code seconds}. */
  public ExportMetricsServiceRequest nextMetrics(int seconds) throws InterruptedException {
    ExportMetricsServiceRequest r = metrics.poll(seconds, TimeUnit.SECONDS);
    if (r == null) throw new AssertionError("no OTLP metrics request within " + seconds + " s");
    return r;
  }

  public ExportLogsServiceRequest nextLogs(int seconds) throws InterruptedException {
    ExportLogsServiceRequest r = logs.poll(seconds, TimeUnit.SECONDS);
    if (r == null) throw new AssertionError("no OTLP logs request within " + seconds + " s");
    return r;
  }

  /** Decodes one request body by its path; returns the serialized empty response. */
  private byte[] receive(String path, byte[] body) throws IOException {
    if (path.endsWith("/v1/metrics") || path.equals(GRPC_METRICS)) {
      metrics.add(ExportMetricsServiceRequest.parseFrom(body));
      return ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
    }
    if (path.endsWith("/v1/logs") || path.equals(GRPC_LOGS)) {
      logs.add(ExportLogsServiceRequest.parseFrom(body));
      return ExportLogsServiceResponse.getDefaultInstance().toByteArray();
    }
    if (path.endsWith("/v1/traces") || path.equals(GRPC_TRACES)) {
      traces.add(ExportTraceServiceRequest.parseFrom(body));
      return ExportTraceServiceResponse.getDefaultInstance().toByteArray();
    }
    return null;
  }

  private final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws IOException {
      req.headers().forEach(h -> lastHeaders.put(h.getKey().toLowerCase(), h.getValue()));
      byte[] response = receive(req.uri(), ByteBufUtil.getBytes(req.content()));
      var res =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              response == null ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.OK,
              Unpooled.wrappedBuffer(response == null ? new byte[0] : response));
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-protobuf");
      res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
      ctx.writeAndFlush(res);
    }
  }

  private final class GrpcStreamHandler extends SimpleChannelInboundHandler<Http2StreamFrame> {
    private Http2Headers headers;
    private final ByteBuf body = Unpooled.buffer();

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) throws IOException {
      boolean end = false;
      if (frame instanceof Http2HeadersFrame h) {
        headers = h.headers();
        headers.forEach(e -> lastHeaders.put(e.getKey().toString().toLowerCase(), e.getValue().toString()));
        end = h.isEndStream();
      } else if (frame instanceof Http2DataFrame d) {
        body.writeBytes(d.content());
        end = d.isEndStream();
      }
      if (end) respond(ctx);
    }

    private void respond(ChannelHandlerContext ctx) throws IOException {
      boolean compressed = body.readUnsignedByte() == 1; // gRPC message prefix: flag, then length
      byte[] message = new byte[(int) body.readUnsignedInt()];
      body.readBytes(message);
      body.release();
      if (compressed) {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(message))) {
          message = in.readAllBytes();
        }
      }
      byte[] response = receive(headers.path().toString(), message);
      Http2Headers start = new DefaultHttp2Headers().status("200").set("content-type", "application/grpc");
      if (response == null) {
        ctx.writeAndFlush(new DefaultHttp2HeadersFrame(start.set("grpc-status", "12"), true)); // UNIMPLEMENTED
        return;
      }
      ctx.write(new DefaultHttp2HeadersFrame(start));
      ByteBuf out = ctx.alloc().buffer(5 + response.length).writeByte(0).writeInt(response.length).writeBytes(response);
      ctx.write(new DefaultHttp2DataFrame(out));
      ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("grpc-status", "0"), true));
    }
  }

  /** OTLP attributes as strings (integers in decimal): what assertions compare. */
  public static Map<String, String> attributes(List<KeyValue> kvs) {
    Map<String, String> out = new HashMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      out.put(kv.getKey(), v.hasIntValue() ? Long.toString(v.getIntValue()) : v.getStringValue());
    }
    return out;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
