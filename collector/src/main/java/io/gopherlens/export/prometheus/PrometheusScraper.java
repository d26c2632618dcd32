package io.gopherlens.export.prometheus;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.Collection;

/**
 * One scrape: collect from the reader and render into pooled direct memory. Shared by every
 * connection of a server.
 */
final class PrometheusScraper {
  private final PrometheusMetricReader reader;
  private final PrometheusTextWriter writer;
  private final Object lock = new Object();

  PrometheusScraper(PrometheusMetricReader reader, PrometheusTextWriter writer) {
    this.reader = reader;
    this.writer = writer;
  }

  /**
   * The caller owns (and must release) the returned buffer. Serialized: with REUSABLE_DATA the SDK
   * overwrites the previous collection's points, so two scrapes must not interleave.
   *
   * <p>The body is a composite that grows by adding components: a 20 MB scrape is never copied into
   * a bigger buffer, and no 32 MB contiguous block is needed.
   */
  ByteBuf scrape(ByteBufAllocator alloc, ExpositionFormat format) {
    synchronized (lock) {
      Collection<MetricData> metrics = reader.collectAllMetrics();
      CompositeByteBuf body = alloc.compositeDirectBuffer(Integer.MAX_VALUE);
      try {
        writer.write(metrics, format, body);
      } catch (RuntimeException | Error e) {
        body.release();
        throw e;
      }
      return body;
    }
  }
}
