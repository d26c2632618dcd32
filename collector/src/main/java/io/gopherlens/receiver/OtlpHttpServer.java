package io.gopherlens.receiver;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** OTLP/HTTP: {@code POST /v1/metrics}, {@code /v1/logs}, {@code /v1/traces} over HTTP/1.1. */
final class OtlpHttpServer implements AutoCloseable {
  private final InetSocketAddress listen;
  private final OtlpHttpServerInitializer initializer;
  private final int threads;
  private EventLoopGroup group;
  private Channel channel;

  OtlpHttpServer(
      ReceiverSettings settings, SslContext tls, BearerAuth auth, InflightBudget budget, ReceiverStats stats, OtlpIngest ingest, IngestWorkers workers, int threads) {
    this.listen = settings.httpListen();
    this.initializer = new OtlpHttpServerInitializer(settings, tls, auth, budget, stats, ingest, workers);
    this.threads = threads;
  }

  /** Binds; throws IllegalStateException naming the address when it cannot. */
  void start() {
    group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("gopherlens-otlp-http", true), NioIoHandler.newFactory());
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childHandler(initializer)
            .bind(listen.getHostString(), listen.getPort())
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      close();
      throw new IllegalStateException(
          "failed to bind the OTLP/HTTP receiver to " + listen.getHostString() + ":" + listen.getPort() + ": " + bound.cause()
              + "; set receiver.http.listen to a free port (or off) or stop the process holding it",
          bound.cause());
    }
    channel = bound.channel();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
      channel = null;
    }
    if (group != null) {
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
      group = null;
    }
  }
}
