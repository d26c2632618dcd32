package io.gopherlens.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Collection;

/** A log record exporter whose failures (results and exceptions alike) are counted and logged, never thrown. */
public final class ReportingLogRecordExporter implements LogRecordExporter {
  private final LogRecordExporter delegate;
  private final String name;
  private final Object destination;
  private final ExportFailures failures;

  /** See {@link ReportingMetricExporter#ReportingMetricExporter}. */
  public ReportingLogRecordExporter(LogRecordExporter delegate, String name, Object destination, String hint, ExportFailures failures) {
    this.delegate = delegate;
    this.name = name;
    this.destination = destination;
    this.failures = failures;
    failures.declare(name, hint);
  }

  @Override
  public CompletableResultCode export(Collection<LogRecordData> logs) {
    return failures.report(name, destination, () -> delegate.export(logs));
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
