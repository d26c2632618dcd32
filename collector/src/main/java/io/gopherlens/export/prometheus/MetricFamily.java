package io.gopherlens.export.prometheus;

import io.gopherlens.log.Log;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One metric family of a scrape: metrics with the same translated name and type, possibly from
 * several instrumentation scopes, written under one HELP/TYPE header.
 */
final class MetricFamily {
  private static final Log LOG = Log.of(MetricFamily.class);
  private static final Comparator<MetricData> BY_SCOPE =
      Comparator.comparing((MetricData m) -> m.getInstrumentationScopeInfo().getName())
          .thenComparing(m -> Objects.toString(m.getInstrumentationScopeInfo().getVersion(), ""));

  final FamilyNames names;

  /** The first member's description; the spec keeps one HELP when members disagree. */
  final String help;

  final List<MetricData> members = new ArrayList<>(1);

  private MetricFamily(FamilyNames names, String help) {
    this.names = names;
    this.help = help;
  }

  /**
   * Groups metrics into families by translated name, in name order, members in scope order, so a
   * scrape is deterministic. A metric whose names would collide with another family's (say a
   * counter {@code jobs} exposing {@code jobs_total} and a gauge {@code jobs.total}) is dropped:
   * two TYPE lines for one name make Prometheus reject the whole scrape.
   */
  static List<MetricFamily> group(
      Collection<MetricData> metrics, NameCache names, boolean targetInfo) {
    Map<String, MetricFamily> byName = new HashMap<>();
    // Names already in the scrape, so two families never expose the same name.
    Map<String, String> claimed = new HashMap<>();
    if (targetInfo) {
      claimed.put("target", "target_info (resource)");
      claimed.put("target_info", "target_info (resource)");
    }
    for (MetricData metric : metrics) {
      if (metric.isEmpty()) {
        continue;
      }
      MetricKind kind = MetricKind.of(metric);
      if (kind == null) {
        warnOnce(
            "unsupported:" + metric.getName(),
            "metric not exposed: Prometheus text formats cannot carry its type or temporality",
            metric,
            metric.getType() == MetricDataType.EXPONENTIAL_HISTOGRAM
                ? "register a View with an explicit-bucket histogram aggregation for it"
                : "export delta data through OTLP; this reader only produces cumulative data");
        continue;
      }
      FamilyNames familyNames = names.family(metric.getName(), metric.getUnit(), kind);
      if (familyNames == null) {
        warnOnce(
            "name:" + metric.getName(),
            "metric not exposed: no valid Prometheus name",
            metric,
            "rename the instrument");
        continue;
      }
      MetricFamily family = byName.get(familyNames.family);
      if (family != null && family.names.kind == kind) {
        family.members.add(metric);
        continue;
      }
      String clash = clash(claimed, familyNames);
      if (clash != null) {
        warnOnce(
            "conflict:" + familyNames.family,
            "metric not exposed: Prometheus name "
                + familyNames.family
                + " ("
                + kind.type()
                + ") collides with the names of family "
                + clash,
            metric,
            "rename one of the instruments");
        continue;
      }
      family = new MetricFamily(familyNames, metric.getDescription());
      family.members.add(metric);
      byName.put(familyNames.family, family);
      for (String name : familyNames.exposedNames) {
        claimed.put(name, familyNames.family + " (" + kind.type() + ")");
      }
    }
    List<MetricFamily> families = new ArrayList<>(byName.values());
    families.sort(Comparator.comparing(f -> f.names.family));
    for (MetricFamily family : families) {
      if (family.members.size() > 1) {
        family.members.sort(BY_SCOPE);
      }
    }
    return families;
  }

  private static String clash(Map<String, String> claimed, FamilyNames names) {
    for (String name : names.exposedNames) {
      String owner = claimed.get(name);
      if (owner != null) {
        return owner;
      }
    }
    return null;
  }

  private static void warnOnce(String key, String message, MetricData metric, String fix) {
    if (WarnOnce.first(key)) {
      LOG.warn(message, "metric", metric.getName(), "type", metric.getType(), "fix", fix);
    }
  }
}
