package io.gopherlens.export.prometheus;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Memoizes name translation across scrapes: a scrape of 100k series touches a few dozen metric
 * names and label keys, so translating them once keeps regex and String work off the per-sample
 * path. Bounded: a map that outgrows its limit (a runaway of dynamic names) is cleared and refilled
 * rather than grown.
 */
final class NameCache {
  static final int MAX_ENTRIES = 4096;

  private record FamilyKey(String name, String unit, MetricKind kind) {}

  private final Map<FamilyKey, FamilyNames> families = new ConcurrentHashMap<>();
  private final Map<String, LabelName> labels = new ConcurrentHashMap<>();

  /** Null when the metric name translates to nothing valid. */
  FamilyNames family(String otelName, String otelUnit, MetricKind kind) {
    FamilyKey key = new FamilyKey(otelName, otelUnit, kind);
    FamilyNames names = families.get(key);
    if (names == null) {
      String family = PrometheusNames.familyName(otelName, otelUnit, kind == MetricKind.COUNTER);
      if (family.isEmpty()) {
        return null;
      }
      names = new FamilyNames(family, kind, PrometheusNames.unitSuffix(otelUnit));
      bound(families);
      families.put(key, names);
    }
    return names;
  }

  LabelName label(String attributeKey) {
    LabelName name = labels.get(attributeKey);
    if (name == null) {
      String sanitized = PrometheusNames.sanitizeLabelName(attributeKey);
      name = sanitized.isEmpty() ? LabelName.INVALID : new LabelName(sanitized);
      bound(labels);
      labels.put(attributeKey, name);
    }
    return name;
  }

  private static void bound(Map<?, ?> map) {
    if (map.size() >= MAX_ENTRIES) {
      map.clear();
    }
  }
}
