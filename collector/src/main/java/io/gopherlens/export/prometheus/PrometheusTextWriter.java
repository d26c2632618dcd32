package io.gopherlens.export.prometheus;

import io.netty.buffer.ByteBuf;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/**
 * Renders OpenTelemetry metric data in the Prometheus text format 0.0.4 or OpenMetrics 1.0.0,
 * straight into a ByteBuf. Families are written in name order with HELP/TYPE once each, even when
 * several instrumentation scopes export the same name; the resource becomes {@code target_info}.
 * Thread-safe: per-scrape state lives in a {@link SampleWriter}, translated names in a shared
 * bounded cache.
 */
public final class PrometheusTextWriter {
  private static final byte[] HELP = ascii("# HELP ");
  private static final byte[] TYPE = ascii("# TYPE ");
  private static final byte[] UNIT = ascii("# UNIT ");
  private static final byte[] EOF = ascii("# EOF\n");
  private static final byte[] TARGET_INFO = ascii("target_info");
  private static final byte[] TARGET = ascii("target");
  private static final String TARGET_HELP = "Target metadata";

  private final NameCache names = new NameCache();
  private final boolean scopeLabels;

  private PrometheusTextWriter(boolean scopeLabels) {
    this.scopeLabels = scopeLabels;
  }

  /** Adds {@code otel_scope_name}/{@code otel_scope_version} to every point (OTel default). */
  public static PrometheusTextWriter create() {
    return new PrometheusTextWriter(true);
  }

  /** Leaves the scope labels out: smaller scrapes, but same-named metrics from two scopes clash. */
  public static PrometheusTextWriter createWithoutScopeLabels() {
    return new PrometheusTextWriter(false);
  }

  /**
   * Appends the exposition of {@code metrics} to {@code out}. Metrics the formats cannot express
   * (exponential histograms, delta data, clashing names) are skipped with a one-time warning.
   */
  public void write(Collection<MetricData> metrics, ExpositionFormat format, ByteBuf out) {
    boolean openMetrics = format == ExpositionFormat.OPENMETRICS_TEXT;
    try (SampleWriter writer = new SampleWriter(out, openMetrics, names)) {
      Resource resource = null;
      for (MetricData metric : metrics) {
        resource = metric.getResource();
        break;
      }
      boolean targetInfo = resource != null && !resource.getAttributes().isEmpty();
      if (targetInfo) {
        writeTargetInfo(writer, resource, openMetrics);
      }
      for (MetricFamily family : MetricFamily.group(metrics, names, targetInfo)) {
        writeFamily(writer, family, openMetrics);
      }
      if (openMetrics) {
        writer.raw(EOF);
      }
    }
  }

  private void writeFamily(SampleWriter writer, MetricFamily family, boolean openMetrics) {
    FamilyNames n = family.names;
    if (openMetrics) {
      writer.header(TYPE, n.openMetricsHeaderName, n.kind.type(), false);
      if (!n.unit.isEmpty()) {
        writer.header(UNIT, n.openMetricsHeaderName, n.unit, false);
      }
      if (!family.help.isEmpty()) {
        writer.header(HELP, n.openMetricsHeaderName, family.help, true);
      }
    } else {
      if (!family.help.isEmpty()) {
        writer.header(HELP, n.textHeaderName, family.help, true);
      }
      writer.header(TYPE, n.textHeaderName, n.kind.type(), false);
    }
    for (MetricData metric : family.members) {
      ScopeLabels scope = scopeLabels(metric.getInstrumentationScopeInfo());
      switch (metric.getType()) {
        case LONG_GAUGE:
        case LONG_SUM:
          for (PointData p : metric.getData().getPoints()) {
            LongPointData point = (LongPointData) p;
            writer.point(point.getAttributes(), scope, n.kind);
            writer.sample(n.sample, point.getValue());
          }
          break;
        case DOUBLE_GAUGE:
        case DOUBLE_SUM:
          for (PointData p : metric.getData().getPoints()) {
            DoublePointData point = (DoublePointData) p;
            writer.point(point.getAttributes(), scope, n.kind);
            writer.sample(n.sample, point.getValue());
          }
          break;
        case HISTOGRAM:
          for (HistogramPointData point : metric.getHistogramData().getPoints()) {
            writer.point(point.getAttributes(), scope, n.kind);
            writeHistogram(writer, n, point);
          }
          break;
        case SUMMARY:
          for (SummaryPointData point : metric.getSummaryData().getPoints()) {
            writer.point(point.getAttributes(), scope, n.kind);
            for (ValueAtQuantile q : point.getValues()) {
              writer.quantile(n.sample, q.getQuantile(), q.getValue());
            }
            writer.sample(n.sum, point.getSum());
            writer.sample(n.count, point.getCount());
          }
          break;
        default:
          // MetricKind.of filtered out everything else.
          break;
      }
    }
  }

  /** Buckets are cumulative in Prometheus and end with {@code +Inf}, which equals the count. */
  private static void writeHistogram(SampleWriter writer, FamilyNames n, HistogramPointData point) {
    List<Double> bounds = point.getBoundaries();
    List<Long> counts = point.getCounts();
    writer.bucketBounds(bounds);
    long cumulative = 0;
    for (int i = 0; i < bounds.size(); i++) {
      cumulative += counts.get(i);
      writer.bucket(n.bucket, i, cumulative);
    }
    writer.bucket(n.bucket, bounds.size(), point.getCount());
    writer.sample(n.sum, point.getSum());
    writer.sample(n.count, point.getCount());
  }

  /**
   * The OTel spec's {@code target} info metric: OpenMetrics has the info type; text 0.0.4 does not,
   * so there it is the gauge {@code target_info} with value 1.
   */
  private static void writeTargetInfo(SampleWriter writer, Resource resource, boolean openMetrics) {
    if (openMetrics) {
      writer.header(TYPE, TARGET, "info", false);
      writer.header(HELP, TARGET, TARGET_HELP, true);
    } else {
      writer.header(HELP, TARGET_INFO, TARGET_HELP, true);
      writer.header(TYPE, TARGET_INFO, "gauge", false);
    }
    writer.point(resource.getAttributes(), ScopeLabels.NONE, MetricKind.GAUGE);
    writer.sample(TARGET_INFO, 1L);
  }

  private ScopeLabels scopeLabels(InstrumentationScopeInfo scope) {
    return scopeLabels ? ScopeLabels.of(scope) : ScopeLabels.NONE;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
