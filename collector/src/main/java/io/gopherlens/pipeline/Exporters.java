package io.gopherlens.pipeline;

import io.gopherlens.agent.AgentConfig;
import io.gopherlens.agent.AgentOptions;
import io.gopherlens.agent.Option;
import io.gopherlens.export.ExportFailures;
import io.gopherlens.export.ReportingLogRecordExporter;
import io.gopherlens.export.ReportingMetricExporter;
import io.gopherlens.export.loki.LokiExporter;
import io.gopherlens.export.loki.LokiExporterBuilder;
import io.gopherlens.export.loki.LokiFormat;
import io.gopherlens.export.otlp.OtlpTarget;
import io.gopherlens.export.otlp.OtlpTraceForwarder;
import io.gopherlens.export.remotewrite.RemoteWriteExporter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The push exporters the settings ask for, each wrapped so its failures are counted and logged.
 * OTLP is on for a signal when an endpoint (general or the signal's own) is set and the signal's
 * exporter list (OTEL_METRICS_EXPORTER, OTEL_LOGS_EXPORTER) names otlp, as it does by default;
 * remote write and Loki are on when their URL is set. Traces are only forwarded (gateway mode).
 */
record Exporters(List<MetricPush> metrics, List<LogRecordExporter> logs, Optional<OtlpTraceForwarder> traces) {
  /** A metric exporter and how often a periodic reader hands it every metric. */
  record MetricPush(MetricExporter exporter, Duration interval) {}

  static Exporters fromConfig(
      AgentConfig config, ExportFailures failures, ProcessResources processes, Supplier<MeterProvider> meters) {
    List<MetricPush> metrics = new ArrayList<>();
    List<LogRecordExporter> logs = new ArrayList<>();
    Duration metricInterval = Duration.ofMillis(config.positiveInt(AgentOptions.METRIC_EXPORT_INTERVAL));
    if (config.exporters(AgentOptions.METRICS_EXPORTER).contains("otlp")) {
      otlpTarget(config, AgentOptions.OTLP_METRICS_ENDPOINT, "/v1/metrics")
          .ifPresent(
              t ->
                  metrics.add(
                      new MetricPush(
                          new ReportingMetricExporter(
                              new PerProcessResourceExporter(t.metricExporter(), processes),
                              "otlp_metrics", t, otlpHint(t), failures),
                          metricInterval)));
    }
    otlpLogs(config)
        .ifPresent(t -> logs.add(new ReportingLogRecordExporter(t.logRecordExporter(), "otlp_logs", t, otlpHint(t), failures)));

    URI remoteWrite = config.url(AgentOptions.REMOTE_WRITE_URL);
    if (remoteWrite != null) {
      MetricExporter rw =
          RemoteWriteExporter.builder()
              .setEndpoint(remoteWrite.toString())
              .setHeaders(config.keyValues(AgentOptions.REMOTE_WRITE_HEADERS))
              .setMeterProvider(meters)
              .build();
      metrics.add(
          new MetricPush(
              new ReportingMetricExporter(rw, RemoteWriteExporter.EXPORTER, "remote write " + remoteWrite,
                  "check --remote-write-url and that the receiver accepts remote write", failures),
              config.duration(AgentOptions.REMOTE_WRITE_INTERVAL)));
    }
    URI loki = config.url(AgentOptions.LOKI_URL);
    if (loki != null) {
      LokiExporterBuilder b =
          LokiExporter.builder()
              .setEndpoint(loki.toString())
              .setFormat("json".equals(config.string(AgentOptions.LOKI_FORMAT)) ? LokiFormat.JSON : LokiFormat.PROTOBUF)
              .setHeaders(config.keyValues(AgentOptions.LOKI_HEADERS))
              .setMeterProvider(meters);
      String tenant = config.string(AgentOptions.LOKI_TENANT);
      if (tenant != null) b.setTenant(tenant);
      String spool = config.string(AgentOptions.LOKI_SPOOL_DIR);
      if (spool != null) b.setSpool(Path.of(spool), config.bytes(AgentOptions.LOKI_SPOOL_LIMIT));
      logs.add(new ReportingLogRecordExporter(b.build(), LokiExporter.EXPORTER, "Loki " + loki, "check --loki-url", failures));
    }
    Optional<OtlpTraceForwarder> traces = Optional.empty();
    if (config.exporters(AgentOptions.TRACES_EXPORTER).contains("otlp")) {
      traces = otlpTarget(config, AgentOptions.OTLP_TRACES_ENDPOINT, "/v1/traces").map(t -> {
        failures.declare("otlp_traces", otlpHint(t));
        return new OtlpTraceForwarder(t, (target, cause) -> failures.failed("otlp_traces", target, cause));
      });
    }
    return new Exporters(List.copyOf(metrics), List.copyOf(logs), traces);
  }

  /** Whether any log exporter is configured, decided before anything is built. */
  static boolean logsConfigured(AgentConfig config) {
    return otlpLogs(config).isPresent() || config.url(AgentOptions.LOKI_URL) != null;
  }

  private static String otlpHint(OtlpTarget t) {
    return "check that an OTLP receiver listens there and speaks " + t.protocol().label + " (--otlp-endpoint, --otlp-protocol)";
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
