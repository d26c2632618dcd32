package io.gopherlens.receiver;

import io.gopherlens.pipeline.TelemetrySink;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory sink: everything received, in order, and as a {@link MetricProducer} the latest
 * data of each metric, so a real Prometheus endpoint can serve what was received.
 */
final class RecordingSink implements TelemetrySink, MetricProducer {
  private final List<MetricData> metrics = new ArrayList<>();
  private final List<LogRecordData> logs = new ArrayList<>();
  private final List<byte[]> traces = new ArrayList<>();
  private final Map<String, MetricData> latest = new LinkedHashMap<>();
  private final boolean traceDestination;

  RecordingSink(boolean traceDestination) {
    this.traceDestination = traceDestination;
  }

  @Override
  public synchronized void acceptMetrics(Collection<MetricData> received) {
    metrics.addAll(received);
    received.forEach(m -> latest.put(m.getName(), m));
  }

  @Override
  public synchronized void acceptLogs(Collection<LogRecordData> received) {
    logs.addAll(received);
  }

  @Override
  public synchronized boolean acceptTraces(byte[] request) {
    if (!traceDestination) return false;
    traces.add(request);
    return true;
  }

  @Override
  public synchronized Collection<MetricData> produce(Resource ignored) {
    return List.copyOf(latest.values());
  }

  synchronized List<MetricData> metrics() {
    return List.copyOf(metrics);
  }

  synchronized List<LogRecordData> logs() {
    return List.copyOf(logs);
  }

  synchronized List<byte[]> traces() {
    return List.copyOf(traces);
  }

  synchronized MetricData metric(String name) {
    return latest.get(name);
  }
}
