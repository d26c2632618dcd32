package io.gopherlens.export.prometheus;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
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
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * OpenTelemetry metrics as the Prometheus series the scrape endpoint exposes, one sample at a
 * time, for push protocols (remote write). Same families, names, label translation and {@code le}
 * rendering as {@link PrometheusTextWriter}, plus what a scrape gets from Prometheus itself: {@code
 * job} (service.namespace/service.name) and {@code instance} (service.instance.id, else host.name),
 * as the OTel Prometheus compatibility spec maps them. Not thread-safe: one per exporter.
 */
public final class PrometheusSeries implements BiConsumer<AttributeKey<?>, Object> {
  /** Receives each sample; {@code labels} is reused after the call returns. */
  public interface Sink {
    void sample(SeriesLabels labels, double value, long timestampMillis);
  }

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> SERVICE_NAMESPACE =
      AttributeKey.stringKey("service.namespace");
  private static final AttributeKey<String> SERVICE_INSTANCE =
      AttributeKey.stringKey("service.instance.id");
  private static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");

  private static final int MAX_LONG_TEXTS = 16_384;

  private final NameCache names = new NameCache();
  private final Map<Long, String> longText = new HashMap<>();
  private final SeriesLabels point = new SeriesLabels();
  private final SeriesLabels series = new SeriesLabels();
  private final NumberWriter numbers = new NumberWriter();
  private final ByteSink le = new ByteSink(32);
  private boolean collided;
  private List<Double> bounds;
  private String[] leValues;
  private Resource resource;
  private String job;
  private String instance;

  private PrometheusSeries() {}

  /** With {@code otel_scope_name}/{@code otel_scope_version}, like {@link PrometheusTextWriter#create()}. */
  public static PrometheusSeries create() {
    return new PrometheusSeries();
  }

  /**
   * Visits every sample of {@code metrics}: {@code target_info} first (when the resource has
   * attributes), then families in name order. What the scrape would skip is skipped here too.
   */
  public void forEach(Collection<MetricData> metrics, Sink sink) {
    Resource first = null;
    for (MetricData metric : metrics) {
      first = metric.getResource();
      break;
    }
    boolean targetInfo = first != null && !first.getAttributes().isEmpty();
    if (targetInfo) {
      writeTargetInfo(first, sink);
    }
    for (MetricFamily family : MetricFamily.group(metrics, names, targetInfo)) {
      FamilyNames n = family.names;
      for (MetricData metric : family.members) {
        useResource(metric.getResource());
        ScopeLabels scope = ScopeLabels.of(metric.getInstrumentationScopeInfo());
        writeMetric(metric, n, scope, sink);
      }
    }
  }

  private void writeMetric(
      MetricData metric, FamilyNames n, ScopeLabels scope, Sink sink) {
    String sampleName = n.sampleName;
    switch (metric.getType()) {
      case LONG_GAUGE:
      case LONG_SUM:
        for (PointData p : metric.getData().getPoints()) {
          LongPointData lp = (LongPointData) p;
          pointLabels(lp.getAttributes(), scope, n.kind);
          emit(sink, sampleName, null, null, lp.getValue(), lp.getEpochNanos());
        }
        break;
      case DOUBLE_GAUGE:
      case DOUBLE_SUM:
        for (PointData p : metric.getData().getPoints()) {
          DoublePointData dp = (DoublePointData) p;
          pointLabels(dp.getAttributes(), scope, n.kind);
          emit(sink, sampleName, null, null, dp.getValue(), dp.getEpochNanos());
        }
        break;
      case HISTOGRAM:
        String bucket = n.bucketName;
        String sum = n.sumName;
        String count = n.countName;
        for (HistogramPointData hp : metric.getHistogramData().getPoints()) {
          pointLabels(hp.getAttributes(), scope, n.kind);
          long t = hp.getEpochNanos();
          String[] le = leValues(hp.getBoundaries());
          List<Long> counts = hp.getCounts();
          long cumulative = 0;
          for (int i = 0; i < le.length - 1; i++) {
            cumulative += counts.get(i);
            emit(sink, bucket, "le", le[i], cumulative, t);
          }
          emit(sink, bucket, "le", le[le.length - 1], hp.getCount(), t);
          emit(sink, sum, null, null, hp.getSum(), t);
          emit(sink, count, null, null, hp.getCount(), t);
        }
        break;
      case SUMMARY:
        String summarySum = n.sumName;
        String summaryCount = n.countName;
        for (SummaryPointData sp : metric.getSummaryData().getPoints()) {
          pointLabels(sp.getAttributes(), scope, n.kind);
          long t = sp.getEpochNanos();
          for (ValueAtQuantile q : sp.getValues()) {
            emit(sink, sampleName, "quantile", canonical(q.getQuantile()), q.getValue(), t);
          }
          emit(sink, summarySum, null, null, sp.getSum(), t);
          emit(sink, summaryCount, null, null, sp.getCount(), t);
        }
        break;
      default:
        break;
    }
  }

  private void emit(
      Sink sink, String name, String extraName, String extraValue, double value, long epochNanos) {
    point.copySortedTo(series, name, extraName, extraValue);
    sink.sample(series, value, epochNanos / 1_000_000);
  }

  /** The labels every line of a point shares: attributes, scope, job and instance. */
  private void pointLabels(Attributes attributes, ScopeLabels scope, MetricKind kind) {
    point.clear();
    collided = false;
    attributes.forEach(this);
    if (collided) {
      point.clear();
      for (Map.Entry<String, String> e :
          LabelEncoder.mergedLabels(attributes, scope, kind, names).entrySet()) {
        point.add(e.getKey(), e.getValue());
      }
    } else if (scope.name != null) {
      point.add(ScopeLabels.NAME, scope.name);
      if (scope.version != null) {
        point.add(ScopeLabels.VERSION, scope.version);
      }
    }
    if (job != null) {
      point.add("job", job);
    }
    if (instance != null) {
      point.add("instance", instance);
    }
  }

  /** Per attribute, the fast path; a collision or reserved name switches to the merged path. */
  @Override
  public void accept(AttributeKey<?> key, Object value) {
    if (collided) {
      return;
    }
    LabelName name = names.label(key.getKey());
    if (name == LabelName.INVALID) {
      return;
    }
    if (name.reserved || point.get(name.name) != null) {
      collided = true;
      return;
    }
    point.add(name.name, labelValue(key.getType(), value));
  }

  private String labelValue(AttributeType type, Object value) {
    if (type == AttributeType.STRING) {
      return (String) value;
    }
    if (type != AttributeType.LONG) {
      return LabelEncoder.valueString(type, value);
    }
    // pids and ports recur on every export; their text is kept instead of made per sample.
    String text = longText.get(value);
    if (text == null) {
      if (longText.size() >= MAX_LONG_TEXTS) {
        longText.clear();
      }
      text = value.toString();
      longText.put((Long) value, text);
    }
    return text;
  }

  private void writeTargetInfo(Resource resource, Sink sink) {
    useResource(resource);
    point.clear();
    resource
        .getAttributes()
        .forEach(
            (k, v) -> {
              if (!k.equals(SERVICE_NAME) && !k.equals(SERVICE_NAMESPACE) && !k.equals(SERVICE_INSTANCE)) {
                LabelName name = names.label(k.getKey());
                if (name != LabelName.INVALID) {
                  point.add(name.name, LabelEncoder.valueString(k.getType(), v));
                }
              }
            });
    if (job != null) {
      point.add("job", job);
    }
    if (instance != null) {
      point.add("instance", instance);
    }
    point.copySortedTo(series, "target_info", null, null);
    sink.sample(series, 1, System.currentTimeMillis());
  }

  private void useResource(Resource r) {
    if (r == resource) {
      return;
    }
    resource = r;
    Attributes a = r.getAttributes();
    String service = a.get(SERVICE_NAME);
    String namespace = a.get(SERVICE_NAMESPACE);
    job = service == null ? null : namespace == null ? service : namespace + "/" + service;
    String id = a.get(SERVICE_INSTANCE);
    instance = id != null ? id : a.get(HOST_NAME);
  }

  /** {@code le} values rendered once per boundaries list, as the scrape renders them. */
  private String[] leValues(List<Double> boundaries) {
    if (boundaries != bounds) {
      bounds = boundaries;
      leValues = new String[boundaries.size() + 1];
      for (int i = 0; i < leValues.length; i++) {
        leValues[i] = canonical(i < boundaries.size() ? boundaries.get(i) : Double.POSITIVE_INFINITY);
      }
    }
    return leValues;
  }

  private String canonical(double v) {
    le.reset();
    numbers.writeDouble(le, v, true);
    return new String(le.toByteArray(), StandardCharsets.US_ASCII);
  }
}
