package io.gopherlens.receiver;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC on grpc-java's Netty transport. gRPC's own callbacks run on the transport's event
 * loops (direct executor: they only parse and hand off); ingest runs on {@link IngestWorkers}. gRPC enforces receiver.max_body on
 * each message, compressed and after decompression, answering RESOURCE_EXHAUSTED.
 */
final class OtlpGrpcServer implements AutoCloseable {
  private final InetSocketAddress listen;
  private final ReceiverSettings settings;
  private final SslContext tls;
  private final GrpcAdmission admission;
  private final OtlpIngest ingest;
  private final IngestWorkers workers;
  private final ReceiverStats stats;
  private final int threads;
  private EventLoopGroup group;
  private Server server;

  OtlpGrpcServer(
      ReceiverSettings settings, SslContext tls, GrpcAdmission admission, OtlpIngest ingest, IngestWorkers workers, ReceiverStats stats, int threads) {
    this.listen = settings.grpcListen();
    this.settings = settings;
    this.tls = tls;
    this.admission = admission;
    this.ingest = ingest;
    this.workers = workers;
    this.stats = stats;
    this.threads = threads;
  }

  void start() {
    group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("gopherlens-otlp-grpc", true), NioIoHandler.newFactory());
    NettyServerBuilder b =
        NettyServerBuilder.forAddress(new InetSocketAddress(listen.getHostString(), listen.getPort()))
            .channelType(NioServerSocketChannel.class)
            .bossEventLoopGroup(group)
            .workerEventLoopGroup(group)
            .directExecutor()
            .maxInboundMessageSize((int) settings.maxBody())
            .maxInboundMetadataSize(16 << 10)
            .maxConnectionIdle(settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .addStreamTracerFactory(admission);
    if (tls != null) {
      b.sslContext(tls);
    }
    for (BindableService s : OtlpGrpcServices.of(ingest, workers, stats, settings.retryAfter())) {
      b.addService(ServerInterceptors.intercept(s, admission));
    }
    server = b.build();
    try {
      server.start();
    } catch (IOException e) {
      close();
      throw new IllegalStateException(
          "failed to bind the OTLP/gRPC receiver to " + listen.getHostString() + ":" + listen.getPort() + ": " + e.getMessage()
              + "; set receiver.grpc.listen to a free port (or off) or stop the process holding it",
          e);
    }
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
    }
    if (group != null) {
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
      group = null;
    }
  }
}
