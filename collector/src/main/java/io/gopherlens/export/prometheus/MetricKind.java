package io.gopherlens.export.prometheus;

import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;

/** The Prometheus family type an OTel metric becomes, and the TYPE word for each format. */
enum MetricKind {
  COUNTER("counter"),
  GAUGE("gauge"),
  HISTOGRAM("histogram"),
  SUMMARY("summary");

  private final String type;

  MetricKind(String type) {
    this.type = type;
  }

  String type() {
    return type;
  }

  /**
   * Monotonic sums are counters; non-monotonic sums and gauges are gauges. Returns null for what
   * the text formats cannot carry: delta data (never produced, the reader is cumulative) and
   * exponential histograms (native histograms need the protobuf format; configure an
   * explicit-bucket View to expose them here).
   */
  static MetricKind of(MetricData metric) {
    switch (metric.getType()) {
      case LONG_GAUGE:
      case DOUBLE_GAUGE:
        return GAUGE;
      case LONG_SUM:
        return sum(
            metric.getLongSumData().isMonotonic(),
            metric.getLongSumData().getAggregationTemporality());
      case DOUBLE_SUM:
        return sum(
            metric.getDoubleSumData().isMonotonic(),
            metric.getDoubleSumData().getAggregationTemporality());
      case HISTOGRAM:
        return metric.getHistogramData().getAggregationTemporality()
                == AggregationTemporality.CUMULATIVE
            ? HISTOGRAM
            : null;
      case SUMMARY:
        return SUMMARY;
      case EXPONENTIAL_HISTOGRAM:
      default:
        return null;
    }
  }

  private static MetricKind sum(boolean monotonic, AggregationTemporality temporality) {
    if (temporality != AggregationTemporality.CUMULATIVE) {
      return null;
    }
    return monotonic ? COUNTER : GAUGE;
  }
}
