package io.gopherlens.pipeline;

import io.gopherlens.export.otlp.OtlpTraceForwarder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Routes received telemetry. Cumulative and gauge metrics become the latest points of {@link
 * ReceivedMetrics}, which every reader (Prometheus scrape, push exporters) collects; delta
 * metrics, log records and trace requests go straight to each push exporter, at most {@link #MAX_IN_FLIGHT}
 * requests outstanding per exporter, so a slow destination sheds load instead of piling it up.
 */
final class RoutingTelemetrySink implements TelemetrySink {
  static final int MAX_IN_FLIGHT = 32;
  static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("signal");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  private final ReceivedMetrics latest;
  private final List<Route<MetricData>> metricRoutes = new ArrayList<>();
  private final List<Route<LogRecordData>> logRoutes = new ArrayList<>();
  private final AtomicLong metricsBusy = new AtomicLong();
  private final AtomicLong logsBusy = new AtomicLong();
  private final AtomicLong logsNoDestination = new AtomicLong();
  private final AtomicLong tracesBusy = new AtomicLong();
  private final OtlpTraceForwarder traces; // null: no trace destination

  RoutingTelemetrySink(
      ReceivedMetrics latest,
      List<MetricExporter> metricExporters,
      List<LogRecordExporter> logExporters,
      Optional<OtlpTraceForwarder> traces) {
    this.latest = latest;
    this.traces = traces.orElse(null);
    metricExporters.forEach(e -> metricRoutes.add(new Route<>(e::export, metricsBusy)));
    logExporters.forEach(e -> logRoutes.add(new Route<>(e::export, logsBusy)));
  }

  void register(Meter meter) {
    meter
        .counterBuilder("gopherlens.received.dropped")
        .setDescription("Received points and log records not forwarded, by signal and reason")
        .setUnit("{item}")
        .buildWithCallback(
            m -> {
              m.record(latest.dropped(), Attributes.of(SIGNAL, "metrics", REASON, "point_limit"));
              m.record(metricsBusy.get(), Attributes.of(SIGNAL, "metrics", REASON, "exporter_busy"));
              m.record(logsBusy.get(), Attributes.of(SIGNAL, "logs", REASON, "exporter_busy"));
              m.record(logsNoDestination.get(), Attributes.of(SIGNAL, "logs", REASON, "no_destination"));
              m.record(tracesBusy.get(), Attributes.of(SIGNAL, "traces", REASON, "exporter_busy"));
            });
  }

  @Override
  public void acceptMetrics(Collection<MetricData> metrics) {
    List<MetricData> kept = new ArrayList<>();
    List<MetricData> delta = new ArrayList<>();
    for (MetricData m : metrics) {
      (ReceivedMetrics.holdsLatest(m) ? kept : delta).add(m);
    }
    latest.putAll(kept);
    if (!delta.isEmpty()) {
      long points = delta.stream().mapToLong(m -> m.getData().getPoints().size()).sum();
      metricRoutes.forEach(r -> r.send(delta, points));
    }
  }

  @Override
  public void acceptLogs(Collection<LogRecordData> logs) {
    if (logs.isEmpty()) return;
    if (logRoutes.isEmpty()) {
      logsNoDestination.addAndGet(logs.size());
      return;
    }
    List<LogRecordData> batch = List.copyOf(logs);
    logRoutes.forEach(r -> r.send(batch, batch.size()));
  }

  /** Forwarded as received; false without a trace destination, so the receiver can refuse them. */
  @Override
  public boolean acceptTraces(byte[] otlpExportTraceServiceRequest) {
    if (traces == null) return false;
    if (!traces.forward(otlpExportTraceServiceRequest)) tracesBusy.incrementAndGet();
    return true;
  }

  /** One exporter with a bound on its outstanding requests. */
  private static final class Route<T> {
    private final Function<Collection<T>, CompletableResultCode> export;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong busy;

    Route(Function<Collection<T>, CompletableResultCode> export, AtomicLong busy) {
      this.export = export;
      this.busy = busy;
    }

    void send(Collection<T> items, long count) {
      if (!inFlight.tryAcquire()) {
        busy.addAndGet(count);
        return;
      }
      try {
        export.apply(items).whenComplete(inFlight::release);
      } catch (RuntimeException e) {
        inFlight.release(); // the reporting exporters never throw; a delegate that did must not keep the permit
      }
    }
  }
}
