package io.gopherlens.receiver;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;

/** The pipeline of one OTLP/HTTP connection; nothing else. */
final class OtlpHttpServerInitializer extends ChannelInitializer<Channel> {
  /** OTLP requests have short request lines and a few headers; longer ones get 414/431. */
  static final int MAX_INITIAL_LINE = 4096;
  static final int MAX_HEADERS = 16 << 10;
  static final int MAX_CHUNK = 64 << 10;

  private final ReceiverSettings settings;
  private final SslContext tls;
  private final BearerAuth auth;
  private final InflightBudget budget;
  private final ReceiverStats stats;
  private final OtlpHttpServerHandler handler;

  OtlpHttpServerInitializer(
      ReceiverSettings settings, SslContext tls, BearerAuth auth, InflightBudget budget, ReceiverStats stats, OtlpIngest ingest, IngestWorkers workers) {
    this.settings = settings;
    this.tls = tls;
    this.auth = auth;
    this.budget = budget;
    this.stats = stats;
    this.handler = new OtlpHttpServerHandler(ingest, workers, settings, budget, stats);
  }

  @Override
  protected void initChannel(Channel channel) {
    ChannelPipeline p = channel.pipeline();
    if (tls != null) {
      p.addLast(tls.newHandler(channel.alloc()));
    }
    p.addLast(
        new RequestDeadlines(
            settings.headerTimeout(), settings.readTimeout(), settings.idleTimeout(), ctx -> stats.countRefused(null, RefusalReason.TIMEOUT)));
    p.addLast(
        new HttpServerCodec(
            new HttpDecoderConfig().setMaxInitialLineLength(MAX_INITIAL_LINE).setMaxHeaderSize(MAX_HEADERS).setMaxChunkSize(MAX_CHUNK)));
    p.addLast(new OtlpHttpRequestReader(settings, auth, budget, stats));
    p.addLast(handler);
  }
}
