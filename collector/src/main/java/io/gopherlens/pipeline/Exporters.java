package io.gopherlens.pipeline;

import io.gopherlens.agent.AgentConfig;
import io.gopherlens.agent.AgentOptions;
import io.gopherlens.agent.Option;
import io.gopherlens.export.ExportFailures;
import io.gopherlens.export.ReportingLogRecordExporter;
import io.gopherlens.export.ReportingMetricExporter;
import io.gopherlens.export.otlp.OtlpTarget;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The push exporters the settings ask for, each wrapped so its failures are counted and logged.
 * OTLP is on for a signal when an endpoint (general or the signal's own) is set and the signal's
 * exporter list (OTEL_METRICS_EXPORTER, OTEL_LOGS_EXPORTER) names otlp, as it does by default.
 */
record Exporters(List<MetricExporter> metrics, List<LogRecordExporter> logs) {
  static Exporters fromConfig(AgentConfig config, ExportFailures failures, ProcessResources processes) {
    List<MetricExporter> metrics = new ArrayList<>();
    List<LogRecordExporter> logs = new ArrayList<>();
    if (config.exporters(AgentOptions.METRICS_EXPORTER).contains("otlp")) {
      otlpTarget(config, AgentOptions.OTLP_METRICS_ENDPOINT, "/v1/metrics")
          .ifPresent(
              t ->
                  metrics.add(
                      new ReportingMetricExporter(
                          new PerProcessResourceExporter(t.metricExporter(), processes), "otlp_metrics", t, failures)));
    }
    otlpLogs(config).ifPresent(t -> logs.add(new ReportingLogRecordExporter(t.logRecordExporter(), "otlp_logs", t, failures)));
    return new Exporters(List.copyOf(metrics), List.copyOf(logs));
  }

  /** Whether any log exporter is configured, decided before anything is built. */
  static boolean logsConfigured(AgentConfig config) {
    return otlpLogs(config).isPresent();
  }

  private static Optional<OtlpTarget> otlpLogs(AgentConfig config) {
    return config.exporters(AgentOptions.LOGS_EXPORTER).contains("otlp")
        ? otlpTarget(config, AgentOptions.OTLP_LOGS_ENDPOINT, "/v1/logs")
        : Optional.empty();
  }

  /** OTLP target of one signal: its own endpoint as is, else the general one plus the signal's path. */
  static Optional<OtlpTarget> otlpTarget(AgentConfig config, Option signalEndpoint, String signalPath) {
    OtlpTarget.Protocol protocol = OtlpTarget.Protocol.of(config.string(AgentOptions.OTLP_PROTOCOL));
    var headers = config.keyValues(AgentOptions.OTLP_HEADERS);
    Duration timeout = Duration.ofMillis(config.positiveInt(AgentOptions.OTLP_TIMEOUT));
    boolean gzip = "gzip".equals(config.string(AgentOptions.OTLP_COMPRESSION));
    URI own = config.url(signalEndpoint);
    if (own != null) {
      return Optional.of(new OtlpTarget(own, protocol, headers, timeout, gzip));
    }
    URI base = config.url(AgentOptions.OTLP_ENDPOINT);
    return base == null
        ? Optional.empty()
        : Optional.of(OtlpTarget.fromBaseEndpoint(base, signalPath, protocol, headers, timeout, gzip));
  }
}
