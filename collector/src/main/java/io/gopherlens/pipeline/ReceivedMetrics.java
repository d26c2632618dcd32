package io.gopherlens.pipeline;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The latest point of every received cumulative or gauge stream (sender's resource, scope, metric
 * name, point attributes), handed to every reader of the meter provider: the Prometheus endpoint
 * serves them and the push exporters forward them. Bounded in points; a stream nobody updated for
 * {@link #STALE_AFTER} is forgotten, as Prometheus would mark it stale.
 */
final class ReceivedMetrics implements MetricProducer {
  static final Duration STALE_AFTER = Duration.ofMinutes(5);

  private record StreamKey(Resource resource, InstrumentationScopeInfo scope, String name) {}

  private static final class Stream {
    MetricData latest;
    final Map<Attributes, PointData> points = new LinkedHashMap<>();
    long updatedNanos;
  }

  private final int maxPoints;
  private final LongSupplier clock;
  private final Map<StreamKey, Stream> streams = new HashMap<>();
  private int points;
  private long dropped;

  ReceivedMetrics(int maxPoints) {
    this(maxPoints, System::nanoTime);
  }

  ReceivedMetrics(int maxPoints, LongSupplier clock) {
    this.maxPoints = maxPoints;
    this.clock = clock;
  }

  /** True for data that can be held as "the latest value": not delta sums or histograms. */
  static boolean holdsLatest(MetricData m) {
    AggregationTemporality t =
        switch (m.getType()) {
          case LONG_SUM -> m.getLongSumData().getAggregationTemporality();
          case DOUBLE_SUM -> m.getDoubleSumData().getAggregationTemporality();
          case HISTOGRAM -> m.getHistogramData().getAggregationTemporality();
          case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogramData().getAggregationTemporality();
          default -> AggregationTemporality.CUMULATIVE;
        };
    return t == AggregationTemporality.CUMULATIVE;
  }

  /** Keeps a whole request's points at once, so no collection sees half of it. */
  synchronized void putAll(Collection<MetricData> metrics) {
    metrics.forEach(this::put);
  }

  /** Keeps each point as its stream's latest; returns how many points did not fit. */
  synchronized int put(MetricData metric) {
    StreamKey key = new StreamKey(metric.getResource(), metric.getInstrumentationScopeInfo(), metric.getName());
    Stream s = streams.computeIfAbsent(key, k -> new Stream());
    if (s.latest != null && s.latest.getType() != metric.getType()) {
      points -= s.points.size(); // the sender changed the instrument's kind: start over
      s.points.clear();
    }
    s.latest = metric;
    s.updatedNanos = clock.getAsLong();
    int refused = 0;
    for (PointData p : metric.getData().getPoints()) {
      if (!s.points.containsKey(p.getAttributes()) && points >= maxPoints) {
        refused++;
        continue;
      }
      if (s.points.put(p.getAttributes(), p) == null) points++;
    }
    if (s.points.isEmpty()) streams.remove(key);
    dropped += refused;
    return refused;
  }

  /** Points refused since start because the bound was reached. */
  synchronized long dropped() {
    return dropped;
  }

  @Override
  public synchronized Collection<MetricData> produce(Resource agentResource) {
    long now = clock.getAsLong();
    List<MetricData> out = new ArrayList<>(streams.size());
    for (Iterator<Stream> it = streams.values().iterator(); it.hasNext(); ) {
      Stream s = it.next();
      if (now - s.updatedNanos > STALE_AFTER.toNanos()) {
        points -= s.points.size();
        it.remove();
        continue;
      }
      out.add(MetricCopies.of(s.latest, s.latest.getResource(), List.copyOf(s.points.values())));
    }
    return out;
  }
}
