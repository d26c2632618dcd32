package io.gopherlens.pipeline;

import io.gopherlens.agent.AgentConfig;
import io.gopherlens.agent.AgentOptions;
import io.gopherlens.export.ExportFailures;
import io.gopherlens.export.otlp.OtlpTraceForwarder;
import io.gopherlens.export.prometheus.PrometheusMetricReader;
import io.gopherlens.export.prometheus.PrometheusServer;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.SdkLoggerProviderBuilder;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

/**
 * The agent's OpenTelemetry SDK pipeline, built from its settings: one Resource, a meter provider
 * read by the Prometheus endpoint and by a periodic reader per push exporter, and a logger
 * provider with a bounded batch processor per log exporter (records that do not fit are counted
 * as otel.sdk.processor.log.processed{error.type="queue_full"}).
 */
public final class Telemetry implements AutoCloseable {
  /** One series per Go process and trigger or phase: far above the SDK's default of 2,000 on a busy node. */
  static final int MAX_SERIES_PER_INSTRUMENT = 20_000;
  static final int MAX_RECEIVED_POINTS = 50_000;
  static final int LOG_QUEUE_SIZE = 8_192;
  static final String EVENTS_SCOPE = "io.gopherlens.events";

  private final PrometheusMetricReader prometheus = new PrometheusMetricReader();
  private final ExportFailures failures = new ExportFailures();
  private final SdkMeterProvider meters;
  private final SdkLoggerProvider loggers;
  private final RoutingTelemetrySink sink;
  private final String destinations;
  private final OtlpTraceForwarder traces; // null: no trace destination

  private Telemetry(AgentConfig config, List<MetricProducer> producers, ProcessResources processes) {
    Resource resource = AgentResource.of(config);
    // Remote write and Loki report their drops through the provider that owns them: resolved late.
    Exporters exporters = Exporters.fromConfig(config, failures, processes, this::meters);
    ReceivedMetrics received = new ReceivedMetrics(MAX_RECEIVED_POINTS);
    // The reader's own timeout defaults to the interval; the exporter's timeout is the one users set.
    Duration timeout = Duration.ofMillis(config.positiveInt(AgentOptions.OTLP_TIMEOUT));

    SdkMeterProviderBuilder mb =
        SdkMeterProvider.builder()
            .setResource(resource)
            .registerMetricReader(prometheus, type -> MAX_SERIES_PER_INSTRUMENT)
            .registerMetricProducer(received);
    for (Exporters.MetricPush push : exporters.metrics()) {
      mb.registerMetricReader(
          PeriodicMetricReader.builder(push.exporter()).setInterval(push.interval()).setExporterTimeout(timeout).build(),
          type -> MAX_SERIES_PER_INSTRUMENT);
    }
    producers.forEach(mb::registerMetricProducer);
    meters = mb.build();

    SdkLoggerProviderBuilder lb = SdkLoggerProvider.builder().setResource(resource);
    for (LogRecordExporter e : exporters.logs()) {
      lb.addLogRecordProcessor(
          BatchLogRecordProcessor.builder(e)
              .setMaxQueueSize(LOG_QUEUE_SIZE)
              .setExporterTimeout(timeout)
              .setMeterProvider(() -> meters)
              .setInternalTelemetryVersion(InternalTelemetryVersion.LATEST)
              .build());
    }
    loggers = lb.build();

    List<MetricExporter> metricExporters = exporters.metrics().stream().map(Exporters.MetricPush::exporter).toList();
    sink = new RoutingTelemetrySink(received, metricExporters, exporters.logs(), exporters.traces());
    traces = exporters.traces().orElse(null);
    String all =
        Stream.of(metricExporters.stream(), exporters.logs().stream(), exporters.traces().stream())
            .flatMap(s -> s)
            .map(Object::toString)
            .collect(Collectors.joining(", "));
    destinations = all.isEmpty() ? "none" : all;
    failures.register(meters.get("io.gopherlens"));
    sink.register(meters.get("io.gopherlens"));
  }

  /**
   * Builds the pipeline; {@code producers} add pre-aggregated data (TCP flows) to every reader,
   * and {@code processes} names the resource of each watched process in OTLP.
   */
  public static Telemetry create(AgentConfig config, List<MetricProducer> producers, ProcessResources processes) {
    return new Telemetry(config, producers, processes);
  }

  public SdkMeterProvider meters() {
    return meters;
  }

  /** The reader the Prometheus endpoint collects from on each scrape. */
  public PrometheusMetricReader prometheusReader() {
    return prometheus;
  }

  /**
   * The /metrics endpoint on prometheus.listen over {@link #prometheusReader}, started; null when
   * that setting is off. {@code ready} answers its readiness probe.
   */
  public PrometheusServer startPrometheus(AgentConfig config, BooleanSupplier ready) {
    InetSocketAddress listen = config.prometheusListen();
    if (listen == null) return null;
    return PrometheusServer.builder()
        .host(listen.getHostString())
        .port(listen.getPort())
        .metricReader(prometheus)
        .readiness(ready)
        .build()
        .start();
  }

  /** Where events become log records; a no-op sink when no log exporter is configured. */
  public Logger eventLogger() {
    return loggers.get(EVENTS_SCOPE);
  }

  /** True when events leave as log records (so they are worth producing even with stdout off). */
  public static boolean exportsLogs(AgentConfig config) {
    return Exporters.logsConfigured(config);
  }

  /** Where the OTLP receiver hands what it received. */
  public TelemetrySink sink() {
    return sink;
  }

  /** Every push exporter and where it sends, for the start-up log line. */
  public String destinations() {
    return destinations;
  }

  public ExportFailures failures() {
    return failures;
  }

  /** Exports what is buffered (a last push of every metric and queued log record), then stops. */
  @Override
  public void close() {
    loggers.shutdown().join(10, TimeUnit.SECONDS);
    meters.shutdown().join(10, TimeUnit.SECONDS);
    if (traces != null) traces.shutdown().join(10, TimeUnit.SECONDS);
  }
}
