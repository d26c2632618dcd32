package io.gopherlens.export.prometheus;

import io.gopherlens.log.Log;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Encodes a point's label set ({@code a="1",b="2",otel_scope_name=".."}, without braces) once, so
 * every line of the point can copy it. Attributes are visited in place (no map, no String per
 * label); label names come from the shared {@link NameCache}. Not thread-safe: one per scrape.
 */
final class LabelEncoder implements BiConsumer<AttributeKey<?>, Object> {
  private static final Log LOG = Log.of(LabelEncoder.class);
  private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

  private final NameCache names;
  private final NumberWriter numbers;
  private final ByteSink labels = new ByteSink(512);

  // Label names of the point being encoded, to catch two attributes that sanitize alike.
  private LabelName[] seen = new LabelName[16];
  private int seenCount;
  private boolean needsSlowPath;
  // Points of one metric share their AttributeKey objects in the same order, so remembering the
  // key seen at each position turns most label-name lookups into one reference comparison.
  private AttributeKey<?>[] keyAt = new AttributeKey<?>[16];
  private LabelName[] nameAt = new LabelName[16];

  LabelEncoder(NameCache names, NumberWriter numbers) {
    this.names = names;
    this.numbers = numbers;
  }

  /** The encoded labels; valid until the next {@link #encode}. Empty for a point without labels. */
  ByteSink encoded() {
    return labels;
  }

  /** Encodes the labels of one point: its attributes, then the scope labels. */
  void encode(Attributes attributes, ScopeLabels scope, MetricKind kind) {
    labels.reset();
    seenCount = 0;
    needsSlowPath = false;
    attributes.forEach(this);
    if (needsSlowPath) {
      labels.reset();
      writeMergedLabels(attributes, scope, kind);
    } else if (scope.encoded.length > 0) {
      if (labels.size() > 0) {
        labels.write(',');
      }
      labels.write(scope.encoded);
    }
  }

  /** Per attribute of the point: the fast path, valid while no two labels collide. */
  @Override
  public void accept(AttributeKey<?> key, Object value) {
    if (needsSlowPath) {
      return;
    }
    LabelName name = labelName(key, seenCount);
    if (name == LabelName.INVALID) {
      return;
    }
    if (name.reserved) {
      needsSlowPath = true;
      return;
    }
    for (int i = 0; i < seenCount; i++) {
      if (seen[i].sameName(name)) {
        needsSlowPath = true;
        return;
      }
    }
    seen[seenCount++] = name;
    if (labels.size() > 0) {
      labels.write(',');
    }
    labels.write(name.prefix);
    writeAttributeValue(key.getType(), value);
    labels.write('"');
  }

  private LabelName labelName(AttributeKey<?> key, int position) {
    if (position >= keyAt.length) {
      keyAt = Arrays.copyOf(keyAt, position * 2);
      nameAt = Arrays.copyOf(nameAt, position * 2);
      seen = Arrays.copyOf(seen, position * 2);
    }
    if (keyAt[position] == key) {
      return nameAt[position];
    }
    LabelName name = names.label(key.getKey());
    keyAt[position] = key;
    nameAt[position] = name;
    return name;
  }

  /**
   * The rare case: attributes that sanitize to the same label are joined with {@code ;} in the
   * order of their original keys (OTel spec); an attribute named like a label this writer adds wins
   * over scope labels but gives way to {@code le}/{@code quantile}, which define the series.
   */
  private void writeMergedLabels(Attributes attributes, ScopeLabels scope, MetricKind kind) {
    for (Map.Entry<String, String> e : mergedLabels(attributes, scope, kind, names).entrySet()) {
      if (labels.size() > 0) {
        labels.write(',');
      }
      labels.writeUtf8(e.getKey());
      labels.write('=');
      labels.write('"');
      labels.writeLabelValue(e.getValue());
      labels.write('"');
    }
  }

  /**
   * The labels of a point whose attributes collide after sanitizing (or use a reserved name), in
   * the order of their original keys. Shared with {@link PrometheusSeries} so scrape and remote
   * write translate alike.
   */
  static Map<String, String> mergedLabels(
      Attributes attributes, ScopeLabels scope, MetricKind kind, NameCache names) {
    List<Map.Entry<String, String>> entries = new ArrayList<>(attributes.size());
    attributes.forEach((k, v) -> entries.add(Map.entry(k.getKey(), valueString(k.getType(), v))));
    entries.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
    Map<String, String> merged = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : entries) {
      LabelName name = names.label(e.getKey());
      if (name != LabelName.INVALID) {
        merged.merge(name.name, e.getValue(), (a, b) -> a + ";" + b);
      }
    }
    String seriesLabel =
        kind == MetricKind.HISTOGRAM ? "le" : kind == MetricKind.SUMMARY ? "quantile" : null;
    if (seriesLabel != null
        && merged.remove(seriesLabel) != null
        && WarnOnce.first("clash:" + seriesLabel)) {
      LOG.warn(
          "dropped an attribute that would clash with a label Prometheus needs",
          "label",
          seriesLabel,
          "fix",
          "rename the attribute on the instrument");
    }
    if (scope.name != null) {
      merged.putIfAbsent(ScopeLabels.NAME, scope.name);
    }
    if (scope.version != null) {
      merged.putIfAbsent(ScopeLabels.VERSION, scope.version);
    }
    return merged;
  }

  private void writeAttributeValue(AttributeType type, Object value) {
    switch (type) {
      case STRING:
        labels.writeLabelValue((String) value);
        break;
      case LONG:
        numbers.writeLong(labels, (Long) value);
        break;
      case BOOLEAN:
        labels.write((Boolean) value ? TRUE : FALSE);
        break;
      default:
        labels.writeLabelValue(valueString(type, value));
    }
  }

  /**
   * Non-string attributes as the OTel attribute spec renders them: arrays as JSON arrays, as
   * opentelemetry-java's exporter does.
   */
  static String valueString(AttributeType type, Object value) {
    switch (type) {
      case STRING_ARRAY:
      case BOOLEAN_ARRAY:
      case LONG_ARRAY:
      case DOUBLE_ARRAY:
        return jsonArray((List<?>) value);
      case VALUE:
        return value instanceof Value ? ((Value<?>) value).asString() : String.valueOf(value);
      default:
        return String.valueOf(value);
    }
  }

  private static String jsonArray(List<?> values) {
    StringBuilder json = new StringBuilder().append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      Object v = values.get(i);
      if (v instanceof String s) {
        json.append('"');
        for (int c = 0; c < s.length(); c++) {
          char ch = s.charAt(c);
          if (ch == '"' || ch == '\\') {
            json.append('\\').append(ch);
          } else if (ch < 0x20) {
            json.append(String.format("\\u%04x", (int) ch));
          } else {
            json.append(ch);
          }
        }
        json.append('"');
      } else {
        json.append(v);
      }
    }
    return json.append(']').toString();
  }
}
