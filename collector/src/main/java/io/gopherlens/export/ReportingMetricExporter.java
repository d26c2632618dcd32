package io.gopherlens.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;

/** A metric exporter whose failures (results and exceptions alike) are counted and logged, never thrown. */
public final class ReportingMetricExporter implements MetricExporter {
  private final MetricExporter delegate;
  private final String name;
  private final Object destination;
  private final ExportFailures failures;

  /**
   * @param name the {@code exporter} attribute of gopherlens.export.failures, e.g. otlp_metrics
   * @param destination where the data goes, for the log line (its toString must not hold secrets)
   * @param hint what the user should check when it fails, e.g. the setting that names the destination
   */
  public ReportingMetricExporter(MetricExporter delegate, String name, Object destination, String hint, ExportFailures failures) {
    this.delegate = delegate;
    this.name = name;
    this.destination = destination;
    this.failures = failures;
    failures.declare(name, hint);
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    CompletableResultCode result;
    try {
      result = delegate.export(metrics);
    } catch (RuntimeException e) {
      failures.failed(name, destination, e);
      return CompletableResultCode.ofExceptionalFailure(e);
    }
    result.whenComplete(
        () -> {
          if (!result.isSuccess()) failures.failed(name, destination, result.getFailureThrowable());
        });
    return result;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return delegate.getAggregationTemporality(instrumentType);
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
    return delegate.getDefaultAggregation(instrumentType);
  }

  @Override
  public MemoryMode getMemoryMode() {
    return delegate.getMemoryMode();
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return name + " " + destination;
  }
}
