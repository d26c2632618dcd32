package io.gopherlens.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.MetricExporter;

/**
 * A metric exporter that wraps another and changes only {@link #export}: temporality, aggregation,
 * memory mode, flush and shutdown stay the wrapped exporter's, so wrapping never changes what the
 * SDK collects.
 */
public abstract class ForwardingMetricExporter implements MetricExporter {
  protected final MetricExporter delegate;

  protected ForwardingMetricExporter(MetricExporter delegate) {
    this.delegate = delegate;
  }

  @Override
  public final AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return delegate.getAggregationTemporality(instrumentType);
  }

  @Override
  public final Aggregation getDefaultAggregation(InstrumentType instrumentType) {
    return delegate.getDefaultAggregation(instrumentType);
  }

  @Override
  public final MemoryMode getMemoryMode() {
    return delegate.getMemoryMode();
  }

  @Override
  public final CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public final CompletableResultCode shutdown() {
    return delegate.shutdown();
  }
}
