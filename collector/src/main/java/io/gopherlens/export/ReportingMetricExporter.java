package io.gopherlens.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;

/** A metric exporter whose failures (results and exceptions alike) are counted and logged, never thrown. */
public final class ReportingMetricExporter extends ForwardingMetricExporter {
  private final String name;
  private final Object destination;
  private final ExportFailures failures;

  /**
   * @param name the {@code exporter} attribute of gopherlens.export.failures, e.g. otlp_metrics
   * @param destination where the data goes, for the log line (its toString must not hold secrets)
   * @param hint what the user should check when it fails, e.g. the setting that names the destination
   */
  public ReportingMetricExporter(MetricExporter delegate, String name, Object destination, String hint, ExportFailures failures) {
    super(delegate);
    this.name = name;
    this.destination = destination;
    this.failures = failures;
    failures.declare(name, hint);
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    return failures.report(name, destination, () -> delegate.export(metrics));
  }

  @Override
  public String toString() {
    return name + " " + destination;
  }
}
