package io.gopherlens.netflow;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import io.gopherlens.k8s.PodDirectory;
import io.gopherlens.probe.ConnectFailure;

/**
 * Publishes the flow table as OpenTelemetry metric data. The kernel already aggregated into
 * log2 buckets, so the histograms are emitted with those bucket boundaries as they are rather
 * than re-recorded value by value through an instrument.
 */
final class FlowMetricProducer implements MetricProducer {
  static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("io.gopherlens.netflow");
  static final AttributeKey<String> IO_DIRECTION = AttributeKey.stringKey("network.io.direction");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** Upper bounds of the kernel's log2 microsecond slots, in seconds: 1 us, 2 us ... 2^25 us. */
  static final List<Double> BOUNDARIES = boundaries();

  private final FlowTable table;
  private final PodDirectory pods;

  FlowMetricProducer(FlowTable table, PodDirectory pods) {
    this.table = table;
    this.pods = pods;
  }

  private static List<Double> boundaries() {
    List<Double> b = new ArrayList<>();
    for (int i = 0; i < FlowTotals.SLOTS - 1; i++) {
      b.add((double) (1L << i) / 1e6);
    }
    return List.copyOf(b);
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    long now = System.currentTimeMillis() * 1_000_000L;
    List<HistogramPointData> connect = new ArrayList<>();
    List<HistogramPointData> rtt = new ArrayList<>();
    List<LongPointData> retransmits = new ArrayList<>();
    List<LongPointData> bytes = new ArrayList<>();
    List<LongPointData> failed = new ArrayList<>();
    List<LongPointData> closed = new ArrayList<>();
    List<DoublePointData> durations = new ArrayList<>();
    for (Map.Entry<FlowKey, FlowTotals> e : table.snapshot()) {
      FlowTotals t = e.getValue();
      // Pod attributes are looked up at each export: a pod's metadata may arrive after its
      // first connection, and a pod's labels may change.
      Attributes a = pods.enrich(t.attributes);
      if (t.connects > 0) {
        connect.add(histogram(t, a, now, t.connectMicrosSum, t.connectBuckets));
      }
      if (t.rttSamples > 0) {
        rtt.add(histogram(t, a, now, t.rttMicrosSum, t.rttBuckets));
      }
      retransmits.add(ImmutableLongPointData.create(t.startEpochNanos, now, a, t.retransmits));
      bytes.add(ImmutableLongPointData.create(t.startEpochNanos, now, with(a, IO_DIRECTION, "transmit"), t.bytesSent));
      bytes.add(ImmutableLongPointData.create(t.startEpochNanos, now, with(a, IO_DIRECTION, "receive"), t.bytesReceived));
      closed.add(ImmutableLongPointData.create(t.startEpochNanos, now, a, t.closed));
      durations.add(ImmutableDoublePointData.create(t.startEpochNanos, now, a, t.durationMicrosSum / 1e6));
      if (t.failedTotal() > 0) {
        for (ConnectFailure reason : ConnectFailure.values()) {
          failed.add(
              ImmutableLongPointData.create(
                  t.startEpochNanos, now, with(a, ERROR_TYPE, reason.errorType()), t.failed[reason.ordinal()]));
        }
      }
    }
    List<MetricData> out = new ArrayList<>();
    out.add(histogramMetric(resource, "gopherlens.tcp.connect.duration",
        "Time from SYN to established: connect() for clients, SYN-ACK to ACK for servers", connect));
    out.add(histogramMetric(resource, "gopherlens.tcp.rtt",
        "Smoothed round-trip time of live connections, sampled once per socket per interval", rtt));
    out.add(counter(resource, "gopherlens.tcp.retransmits", "Segments retransmitted (tail-loss probes included)", "{segment}", retransmits));
    out.add(counter(resource, "gopherlens.tcp.bytes", "Payload bytes sent (acknowledged or not) and received", "By", bytes));
    out.add(counter(resource, "gopherlens.tcp.connections.failed", "Connects that never reached ESTABLISHED, by error.type", "{connection}", failed));
    out.add(counter(resource, "gopherlens.tcp.connections.closed", "Established connections that closed", "{connection}", closed));
    out.add(
        ImmutableMetricData.createDoubleSum(
            resource, SCOPE, "gopherlens.tcp.connections.duration",
            "Summed lifetime of closed connections, handshake to close (divide by connections.closed for the mean)", "s",
            ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, durations)));
    return out;
  }

  private static HistogramPointData histogram(FlowTotals t, Attributes a, long now, long sumMicros, long[] buckets) {
    long count = 0;
    for (long b : buckets) count += b;
    Long[] counts = new Long[buckets.length];
    for (int i = 0; i < buckets.length; i++) counts[i] = buckets[i];
    return ImmutableHistogramPointData.create(
        t.startEpochNanos, now, a, sumMicros / 1e6, false, 0, false, 0, BOUNDARIES, Arrays.asList(counts));
  }

  private static Attributes with(Attributes a, AttributeKey<String> key, String value) {
    return a.toBuilder().put(key, value).build();
  }

  private static MetricData histogramMetric(Resource r, String name, String description, List<HistogramPointData> points) {
    return ImmutableMetricData.createDoubleHistogram(
        r, SCOPE, name, description, "s", ImmutableHistogramData.create(AggregationTemporality.CUMULATIVE, points));
  }

  private static MetricData counter(Resource r, String name, String description, String unit, List<LongPointData> points) {
    return ImmutableMetricData.createLongSum(
        r, SCOPE, name, description, unit, ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE, points));
  }
}
