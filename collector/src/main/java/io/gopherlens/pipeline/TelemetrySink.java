package io.gopherlens.pipeline;

import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.Collection;

/**
 * Where telemetry received from elsewhere (the OTLP receiver in gateway mode) enters the
 * agent's pipeline: it goes to every configured exporter, and received metrics are also served
 * on the Prometheus endpoint. Implementations never throw and never block on a slow exporter;
 * what they cannot keep is counted as dropped.
 */
public interface TelemetrySink {
  /** Metric points as decoded from OTLP, each carrying its sender's Resource and scope. */
  void acceptMetrics(Collection<MetricData> metrics);

  /** Log records as decoded from OTLP, each carrying its sender's Resource and scope. */
  void acceptLogs(Collection<LogRecordData> logs);

  /**
   * A serialized {@code opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest},
   * forwarded as is (the agent records no spans of its own).
   *
   * @return false when no trace destination is configured, so the receiver can answer that
   *     traces are not accepted rather than drop them silently
   */
  boolean acceptTraces(byte[] otlpExportTraceServiceRequest);
}
