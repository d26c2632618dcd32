package io.gopherlens.receiver;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** OTLP requests built with the official messages, for tests. */
final class OtlpRequests {
  private OtlpRequests() {}

  static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  /** One gauge named {@code name} with {@code points} points, each with a distinct "series" attribute. */
  static ExportMetricsServiceRequest gauge(String name, int points) {
    Gauge.Builder g = Gauge.newBuilder();
    for (int i = 0; i < points; i++) {
      g.addDataPoints(
          NumberDataPoint.newBuilder()
              .setTimeUnixNano(1_700_000_000_000_000_000L + i)
              .setAsDouble(i * 1.5)
              .addAttributes(attr("series", "s" + i))
              .addAttributes(attr("host", "node-1")));
    }
    return wrap(Metric.newBuilder().setName(name).setUnit("1").setGauge(g).build());
  }

  /** A histogram with one good point and one whose bucket counts do not match its bounds. */
  static ExportMetricsServiceRequest histogramWithOneBadPoint() {
    HistogramDataPoint good =
        HistogramDataPoint.newBuilder().setCount(3).setSum(1.5).addExplicitBounds(1.0).addBucketCounts(2).addBucketCounts(1).build();
    HistogramDataPoint bad =
        HistogramDataPoint.newBuilder().setCount(3).setSum(1.5).addExplicitBounds(1.0).addBucketCounts(3).build();
    return wrap(
        Metric.newBuilder()
            .setName("latency")
            .setHistogram(Histogram.newBuilder().setAggregationTemporalityValue(2).addDataPoints(good).addDataPoints(bad))
            .build());
  }

  static ExportMetricsServiceRequest wrap(Metric metric) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", "loadgen")))
                .addScopeMetrics(ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test")).addMetrics(metric)))
        .build();
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
