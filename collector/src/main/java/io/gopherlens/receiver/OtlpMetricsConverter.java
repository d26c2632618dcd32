package io.gopherlens.receiver;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * An OTLP metrics request to SDK {@link MetricData}, one per OTLP metric. Points the SDK types
 * cannot represent faithfully (no value, bucket counts that do not match the bounds, unspecified
 * temporality, quantiles outside [0, 1]) are rejected and counted, never guessed at.
 */
final class OtlpMetricsConverter {
  private OtlpMetricsConverter() {}

  static Converted<MetricData> convert(ExportMetricsServiceRequest request) {
    List<MetricData> out = new ArrayList<>();
    Rejections rejected = new Rejections();
    long accepted = 0;
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      Resource resource;
      try {
        resource = OtlpAttributes.resource(rm.getResource(), rm.getSchemaUrl());
      } catch (IllegalArgumentException e) {
        // The SDK refuses resource attribute keys that are not printable ASCII of 1..255 chars.
        long points = rm.getScopeMetricsList().stream().flatMap(sm -> sm.getMetricsList().stream()).mapToLong(OtlpMetricsConverter::pointCount).sum();
        rejected.reject(points, "resource: " + e.getMessage());
        continue;
      }
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        InstrumentationScopeInfo scope = OtlpAttributes.scope(sm.getScope(), sm.getSchemaUrl());
        for (Metric m : sm.getMetricsList()) {
          MetricData data = metric(resource, scope, m, rejected);
          if (data != null) {
            out.add(data);
            accepted += data.getData().getPoints().size();
          }
        }
      }
    }
    return new Converted<>(out, accepted, rejected.count(), rejected.first());
  }

  /** Null when the metric has no acceptable point. */
  private static MetricData metric(Resource resource, InstrumentationScopeInfo scope, Metric m, Rejections rejected) {
    int points = pointCount(m);
    if (m.getName().isEmpty()) {
      rejected.reject(points, "metric without a name");
      return null;
    }
    MetricDataType type;
    Data<?> data;
    switch (m.getDataCase()) {
      case GAUGE -> {
        List<NumberDataPoint> ps = m.getGauge().getDataPointsList();
        if (isLong(ps)) {
          type = MetricDataType.LONG_GAUGE;
          data = GaugeData.createLongGaugeData(longPoints(m.getName(), ps, rejected));
        } else {
          type = MetricDataType.DOUBLE_GAUGE;
          data = GaugeData.createDoubleGaugeData(doublePoints(m.getName(), ps, rejected));
        }
      }
      case SUM -> {
        AggregationTemporality t = temporality(m.getSum().getAggregationTemporalityValue());
        if (t == null) {
          rejected.reject(points, "sum " + m.getName() + " has no aggregation temporality");
          return null;
        }
        List<NumberDataPoint> ps = m.getSum().getDataPointsList();
        boolean monotonic = m.getSum().getIsMonotonic();
        if (isLong(ps)) {
          type = MetricDataType.LONG_SUM;
          data = SumData.createLongSumData(monotonic, t, longPoints(m.getName(), ps, rejected));
        } else {
          type = MetricDataType.DOUBLE_SUM;
          data = SumData.createDoubleSumData(monotonic, t, doublePoints(m.getName(), ps, rejected));
        }
      }
      case HISTOGRAM -> {
        AggregationTemporality t = temporality(m.getHistogram().getAggregationTemporalityValue());
        if (t == null) {
          rejected.reject(points, "histogram " + m.getName() + " has no aggregation temporality");
          return null;
        }
        type = MetricDataType.HISTOGRAM;
        data = HistogramData.create(t, histogramPoints(m.getName(), m.getHistogram().getDataPointsList(), rejected));
      }
      case EXPONENTIAL_HISTOGRAM -> {
        AggregationTemporality t = temporality(m.getExponentialHistogram().getAggregationTemporalityValue());
        if (t == null) {
          rejected.reject(points, "exponential histogram " + m.getName() + " has no aggregation temporality");
          return null;
        }
        type = MetricDataType.EXPONENTIAL_HISTOGRAM;
        data =
            ExponentialHistogramData.create(
                t, exponentialPoints(m.getName(), m.getExponentialHistogram().getDataPointsList(), rejected));
      }
      case SUMMARY -> {
        type = MetricDataType.SUMMARY;
        data = SummaryData.create(summaryPoints(m.getName(), m.getSummary().getDataPointsList(), rejected));
      }
      default -> {
        // A metric without data has no points to count; say why nothing came of it anyway.
        rejected.reject(1, "metric " + m.getName() + " has no data (gauge, sum, histogram, ...)");
        return null;
      }
    }
    if (data.getPoints().isEmpty()) {
      return null;
    }
    return new ReceivedMetric(resource, scope, m.getName(), m.getDescription(), m.getUnit(), type, data);
  }

  private static int pointCount(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsCount();
      case SUM -> m.getSum().getDataPointsCount();
      case HISTOGRAM -> m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> m.getSummary().getDataPointsCount();
      case DATA_NOT_SET -> 0;
    };
  }

  /** The SDK types one metric as long or double; OTLP types each point, so the first decides. */
  private static boolean isLong(List<NumberDataPoint> ps) {
    return !ps.isEmpty() && ps.get(0).getValueCase() == NumberDataPoint.ValueCase.AS_INT;
  }

  private static AggregationTemporality temporality(int value) {
    return switch (value) {
      case 1 -> AggregationTemporality.DELTA;
      case 2 -> AggregationTemporality.CUMULATIVE;
      default -> null;
    };
  }

  private static List<LongPointData> longPoints(String name, List<NumberDataPoint> ps, Rejections rejected) {
    List<LongPointData> out = new ArrayList<>(ps.size());
    for (NumberDataPoint p : ps) {
      if (p.getValueCase() != NumberDataPoint.ValueCase.AS_INT) {
        rejected.reject(1, "metric " + name + " mixes integer and floating-point points");
        continue;
      }
      out.add(LongPointData.create(p.getStartTimeUnixNano(), p.getTimeUnixNano(), OtlpAttributes.of(p.getAttributesList()), p.getAsInt()));
    }
    return out;
  }

  private static List<DoublePointData> doublePoints(String name, List<NumberDataPoint> ps, Rejections rejected) {
    List<DoublePointData> out = new ArrayList<>(ps.size());
    for (NumberDataPoint p : ps) {
      if (p.getValueCase() != NumberDataPoint.ValueCase.AS_DOUBLE) {
        String why = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? "mixes integer and floating-point points" : "has a point without a value";
        rejected.reject(1, "metric " + name + " " + why);
        continue;
      }
      out.add(
          DoublePointData.create(
              p.getStartTimeUnixNano(), p.getTimeUnixNano(), OtlpAttributes.of(p.getAttributesList()), p.getAsDouble(), exemplars(p.getExemplarsList())));
    }
    return out;
  }

  private static List<io.opentelemetry.sdk.metrics.data.HistogramPointData> histogramPoints(
      String name, List<HistogramDataPoint> ps, Rejections rejected) {
    List<io.opentelemetry.sdk.metrics.data.HistogramPointData> out = new ArrayList<>(ps.size());
    for (HistogramDataPoint p : ps) {
      String problem = histogramProblem(p);
      if (problem != null) {
        rejected.reject(1, "histogram " + name + ": " + problem);
        continue;
      }
      List<Double> bounds = new ArrayList<>(p.getExplicitBoundsList());
      List<Long> counts = new ArrayList<>(p.getBucketCountsList());
      if (counts.isEmpty()) {
        counts.add(p.getCount()); // no buckets sent: everything is in the one +Inf bucket
      }
      out.add(
          ImmutableHistogramPointData.create(
              p.getStartTimeUnixNano(),
              p.getTimeUnixNano(),
              OtlpAttributes.of(p.getAttributesList()),
              p.getSum(),
              p.hasMin(),
              p.getMin(),
              p.hasMax(),
              p.getMax(),
              bounds,
              counts,
              exemplars(p.getExemplarsList())));
    }
    return out;
  }

  private static String histogramProblem(HistogramDataPoint p) {
    int buckets = p.getBucketCountsCount();
    int bounds = p.getExplicitBoundsCount();
    if (buckets == 0 && bounds == 0) {
      return null;
    }
    if (buckets != bounds + 1) {
      return buckets + " bucket counts for " + bounds + " explicit bounds (must be bounds + 1)";
    }
    for (int i = 0; i < bounds; i++) {
      double b = p.getExplicitBounds(i);
      if (Double.isNaN(b) || (i > 0 && b <= p.getExplicitBounds(i - 1))) {
        return "explicit bounds are not strictly increasing";
      }
    }
    long total = 0;
    for (int i = 0; i < buckets; i++) {
      total += p.getBucketCounts(i);
    }
    if (total != p.getCount()) {
      return "bucket counts add up to " + total + ", not the point's count " + p.getCount();
    }
    return null;
  }

  private static List<ExponentialHistogramPointData> exponentialPoints(
      String name, List<ExponentialHistogramDataPoint> ps, Rejections rejected) {
    List<ExponentialHistogramPointData> out = new ArrayList<>(ps.size());
    for (ExponentialHistogramDataPoint p : ps) {
      // The SDK's own range; a scale outside it cannot come from a conforming producer.
      if (p.getScale() < -10 || p.getScale() > 20) {
        rejected.reject(1, "exponential histogram " + name + ": scale " + p.getScale() + " outside -10..20");
        continue;
      }
      out.add(
          ExponentialHistogramPointData.create(
              p.getScale(),
              p.getSum(),
              p.getZeroCount(),
              p.hasMin(),
              p.getMin(),
              p.hasMax(),
              p.getMax(),
              ExponentialHistogramBuckets.create(p.getScale(), p.getPositive().getOffset(), p.getPositive().getBucketCountsList()),
              ExponentialHistogramBuckets.create(p.getScale(), p.getNegative().getOffset(), p.getNegative().getBucketCountsList()),
              p.getStartTimeUnixNano(),
              p.getTimeUnixNano(),
              OtlpAttributes.of(p.getAttributesList()),
              exemplars(p.getExemplarsList())));
    }
    return out;
  }

  private static List<SummaryPointData> summaryPoints(String name, List<SummaryDataPoint> ps, Rejections rejected) {
    List<SummaryPointData> out = new ArrayList<>(ps.size());
    points:
    for (SummaryDataPoint p : ps) {
      List<ValueAtQuantile> qs = new ArrayList<>(p.getQuantileValuesCount());
      for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
        if (!(q.getQuantile() >= 0 && q.getQuantile() <= 1)) {
          rejected.reject(1, "summary " + name + ": quantile " + q.getQuantile() + " outside [0, 1]");
          continue points;
        }
        qs.add(ValueAtQuantile.create(q.getQuantile(), q.getValue()));
      }
      out.add(
          SummaryPointData.create(
              p.getStartTimeUnixNano(), p.getTimeUnixNano(), OtlpAttributes.of(p.getAttributesList()), p.getCount(), p.getSum(), qs));
    }
    return out;
  }

  /** Exemplars as doubles (the SDK's histogram and double points only carry double exemplars). */
  private static List<DoubleExemplarData> exemplars(List<Exemplar> es) {
    if (es.isEmpty()) {
      return List.of();
    }
    List<DoubleExemplarData> out = new ArrayList<>(es.size());
    for (Exemplar e : es) {
      double v = e.getValueCase() == Exemplar.ValueCase.AS_INT ? e.getAsInt() : e.getAsDouble();
      out.add(
          DoubleExemplarData.create(
              OtlpAttributes.of(e.getFilteredAttributesList()),
              e.getTimeUnixNano(),
              spanContext(e.getTraceId(), e.getSpanId(), 0),
              v));
    }
    return out;
  }

  /** Invalid when the ids are missing or of the wrong length (the SDK's own rule). */
  static SpanContext spanContext(com.google.protobuf.ByteString traceId, com.google.protobuf.ByteString spanId, int flags) {
    if (traceId.size() != 16 || spanId.size() != 8) {
      return SpanContext.getInvalid();
    }
    return SpanContext.create(
        Hex.encode(traceId), Hex.encode(spanId), TraceFlags.fromByte((byte) flags), TraceState.getDefault());
  }
}
