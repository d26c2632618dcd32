package io.gopherlens.export.prometheus;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.Collection;
import java.util.Objects;

/**
 * A pull reader: the SDK registers it, and each Prometheus scrape calls {@link
 * #collectAllMetrics()}. Cumulative for every instrument, as Prometheus counters and histograms
 * require.
 *
 * <p>The default memory mode is {@link MemoryMode#REUSABLE_DATA}: the SDK reuses point objects
 * between collections, which keeps a 100k-series scrape from allocating 100k points. The price is
 * that a collection's result is only valid until the next collection, so collect-and-render must
 * not overlap; {@link PrometheusServer} serializes its scrapes for that reason.
 */
public final class PrometheusMetricReader implements MetricReader {
  private final MemoryMode memoryMode;
  private volatile CollectionRegistration registration = CollectionRegistration.noop();

  public PrometheusMetricReader() {
    this(MemoryMode.REUSABLE_DATA);
  }

  public PrometheusMetricReader(MemoryMode memoryMode) {
    this.memoryMode = Objects.requireNonNull(memoryMode, "memoryMode");
  }

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  /** Everything the SDK holds now; empty before registration and after shutdown. */
  public Collection<MetricData> collectAllMetrics() {
    return registration.collectAllMetrics();
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public MemoryMode getMemoryMode() {
    return memoryMode;
  }

  /** Nothing is buffered: data only leaves when scraped. */
  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    registration = CollectionRegistration.noop();
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "PrometheusMetricReader{memoryMode=" + memoryMode + "}";
  }
}
