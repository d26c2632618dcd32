package io.gopherlens.export.remotewrite;

import io.gopherlens.export.Backoff;
import io.gopherlens.export.ExportDrops;
import io.gopherlens.export.GrowableBytes;
import io.gopherlens.export.HttpPush;
import io.gopherlens.export.SnappyBlock;
import io.gopherlens.export.prometheus.PrometheusSeries;
import io.gopherlens.export.prometheus.SeriesLabels;
import io.gopherlens.log.Log;
import io.gopherlens.log.RateLimit;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prometheus remote write 1.0: each export becomes snappy-compressed protobuf {@code
 * WriteRequest}s of at most {@code maxBatchSamples} samples, with the series the scrape endpoint
 * would expose ({@link PrometheusSeries}).
 *
 * <p>Bounded by construction: export encodes and sends on the caller's thread (the SDK's periodic
 * reader), one batch in memory at a time, so a failing backend delays the next collection instead
 * of growing a queue. A batch is retried with backoff on 429, 5xx and connection errors; once one
 * batch exhausts its attempts the rest of that export is dropped unsent (the next export carries
 * the same cumulative values, fresher). Rejections (other 4xx) are not retried. Every lost sample
 * is counted in {@code gopherlens.export.dropped{exporter="prometheus_remote_write",reason}}.
 */
public final class RemoteWriteExporter implements MetricExporter {
  public static final String EXPORTER = "prometheus_remote_write";
  public static final String REJECTED = "rejected";
  public static final String RETRIES_EXHAUSTED = "retries_exhausted";
  public static final String SHUTDOWN = "shutdown";

  private static final Log LOG = Log.of(RemoteWriteExporter.class);
  private static final Map<String, String> PROTOCOL_HEADERS =
      Map.of(
          "Content-Encoding", "snappy",
          "Content-Type", "application/x-protobuf",
          "X-Prometheus-Remote-Write-Version", "0.1.0",
          "User-Agent", "gopherlens");

  private final HttpPush push;
  private final Backoff backoff;
  private final int maxAttempts;
  private final int maxBatchSamples;
  private final ExportDrops drops = new ExportDrops(EXPORTER, REJECTED, RETRIES_EXHAUSTED, SHUTDOWN);
  private final Supplier<MeterProvider> meterProvider;
  private final PrometheusSeries series = PrometheusSeries.create();
  private final WriteRequestEncoder encoder = new WriteRequestEncoder();
  private final SnappyBlock snappy = new SnappyBlock();
  private final RateLimit warnings = new RateLimit(0.1, 3);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final PrometheusSeries.Sink sink = this::add;

  // Per export, under the lock.
  private boolean giveUp;
  private boolean failed;

  RemoteWriteExporter(RemoteWriteExporterBuilder b) {
    this.push = new HttpPush(b.endpoint, b.headers, b.timeout);
    this.backoff = new Backoff(b.initialBackoff, b.maxBackoff);
    this.maxAttempts = b.maxAttempts;
    this.maxBatchSamples = b.maxBatchSamples;
    this.meterProvider = b.meterProvider;
  }

  public static RemoteWriteExporterBuilder builder() {
    return new RemoteWriteExporterBuilder();
  }

  /** What this exporter dropped, by reason (the constants of this class). */
  public ExportDrops drops() {
    return drops;
  }

  @Override
  public synchronized CompletableResultCode export(Collection<MetricData> metrics) {
    drops.register(meterProvider);
    giveUp = closed.getCount() == 0;
    failed = false;
    encoder.reset();
    series.forEach(metrics, sink);
    if (encoder.series() > 0) {
      send();
    }
    return failed ? CompletableResultCode.ofFailure() : CompletableResultCode.ofSuccess();
  }

  private void add(SeriesLabels labels, double value, long timestampMillis) {
    encoder.add(labels, value, timestampMillis);
    if (encoder.series() >= maxBatchSamples) {
      send();
      encoder.reset();
    }
  }

  private void send() {
    int samples = encoder.series();
    if (giveUp) {
      failed = true;
      drops.add(closed.getCount() == 0 ? SHUTDOWN : RETRIES_EXHAUSTED, samples);
      return;
    }
    GrowableBytes raw = encoder.finish();
    GrowableBytes body = snappy.compress(raw.array(), raw.size());
    try {
      for (int attempt = 0; ; attempt++) {
        HttpPush.Result result = push.post(body.array(), body.size(), PROTOCOL_HEADERS);
        switch (result.outcome()) {
          case SENT:
            return;
          case REJECTED:
            failed = true;
            drops.add(REJECTED, samples);
            warn("remote write endpoint rejected a batch; not retrying", result, samples,
                "check the endpoint URL, authentication headers and the receiver's limits");
            return;
          case RETRY:
          default:
            if (attempt + 1 >= maxAttempts || closed.await(backoff.delayNanos(attempt), TimeUnit.NANOSECONDS)) {
              giveUp = true;
              failed = true;
              drops.add(closed.getCount() == 0 ? SHUTDOWN : RETRIES_EXHAUSTED, samples);
              warn("remote write failed after retries; dropping this export's samples", result, samples,
                  "check that the receiver at the endpoint is up (Prometheus needs --web.enable-remote-write-receiver)");
              return;
            }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      giveUp = true;
      failed = true;
      drops.add(SHUTDOWN, samples);
    }
  }

  private void warn(String message, HttpPush.Result result, int samples, String fix) {
    if (warnings.tryAcquire()) {
      LOG.warn(message, "endpoint", push.endpoint(), "status", result.status(),
          "response", result.detail(), "samples", samples, "fix", fix);
    }
  }

  /** Cumulative for everything: Prometheus counters and histograms are cumulative. */
  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  /** Export consumes the points before it returns, so the SDK may reuse them. */
  @Override
  public MemoryMode getMemoryMode() {
    return MemoryMode.REUSABLE_DATA;
  }

  /** Nothing is held between exports. */
  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  /** Stops retries in progress; exports after this drop their samples (reason shutdown). */
  @Override
  public CompletableResultCode shutdown() {
    closed.countDown();
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "RemoteWriteExporter{endpoint=" + push.endpoint() + "}";
  }
}
