package io.gopherlens.export.prometheus;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one scrape connection; nothing else. Typed on {@link Channel}, not SocketChannel,
 * so tests can run the whole pipeline in an EmbeddedChannel.
 */
final class PrometheusServerInitializer extends ChannelInitializer<Channel> {
  /** Scrapes are GETs without a body; anything bigger is refused with 413 by the aggregator. */
  static final int MAX_REQUEST_BODY_BYTES = 4096;

  private final PrometheusHandler handler;
  private final Duration idleTimeout;

  PrometheusServerInitializer(PrometheusHandler handler, Duration idleTimeout) {
    this.handler = handler;
    this.idleTimeout = idleTimeout;
  }

  @Override
  protected void initChannel(Channel channel) {
    ChannelPipeline p = channel.pipeline();
    p.addLast(new IdleCloser(idleTimeout));
    p.addLast(new HttpServerCodec());
    p.addLast(new HttpObjectAggregator(MAX_REQUEST_BODY_BYTES));
    p.addLast(handler);
  }

  /**
   * Closes a connection idle (no reads or writes) this long, so forgotten keep-alive connections do
   * not hold file descriptors forever. Longer than Prometheus's default 1 m scrape interval, so a
   * healthy scraper keeps its connection.
   */
  private static final class IdleCloser extends IdleStateHandler {
    IdleCloser(Duration timeout) {
      super(0, 0, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
      ctx.close();
    }
  }
}
