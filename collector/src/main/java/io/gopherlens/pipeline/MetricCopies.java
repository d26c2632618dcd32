package io.gopherlens.pipeline;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableExponentialHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSummaryData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;

/** A metric's copy with another resource and a subset of its points: same name, kind, unit, temporality. */
final class MetricCopies {
  private MetricCopies() {}

  /** {@code points} must be of the metric's own point type (taken from it). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static MetricData of(MetricData m, Resource r, List<? extends PointData> points) {
    InstrumentationScopeInfo scope = m.getInstrumentationScopeInfo();
    String name = m.getName();
    String desc = m.getDescription();
    String unit = m.getUnit();
    List p = points;
    return switch (m.getType()) {
      case LONG_GAUGE -> ImmutableMetricData.createLongGauge(r, scope, name, desc, unit, ImmutableGaugeData.create(p));
      case DOUBLE_GAUGE -> ImmutableMetricData.createDoubleGauge(r, scope, name, desc, unit, ImmutableGaugeData.create(p));
      case LONG_SUM -> ImmutableMetricData.createLongSum(r, scope, name, desc, unit,
          ImmutableSumData.create(m.getLongSumData().isMonotonic(), m.getLongSumData().getAggregationTemporality(), p));
      case DOUBLE_SUM -> ImmutableMetricData.createDoubleSum(r, scope, name, desc, unit,
          ImmutableSumData.create(m.getDoubleSumData().isMonotonic(), m.getDoubleSumData().getAggregationTemporality(), p));
      case HISTOGRAM -> ImmutableMetricData.createDoubleHistogram(r, scope, name, desc, unit,
          ImmutableHistogramData.create(m.getHistogramData().getAggregationTemporality(), p));
      case EXPONENTIAL_HISTOGRAM -> ImmutableMetricData.createExponentialHistogram(r, scope, name, desc, unit,
          ImmutableExponentialHistogramData.create(m.getExponentialHistogramData().getAggregationTemporality(), p));
      case SUMMARY -> ImmutableMetricData.createDoubleSummary(r, scope, name, desc, unit, ImmutableSummaryData.create(p));
    };
  }
}
