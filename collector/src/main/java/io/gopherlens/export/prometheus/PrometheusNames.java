package io.gopherlens.export.prometheus;

import java.util.Map;

/**
 * OpenTelemetry-to-Prometheus name translation, following the OTel specification "Prometheus and
 * OpenMetrics Compatibility" and opentelemetry-java's
 * PrometheusUnitsHelper/Otel2PrometheusConverter (underscore escaping with suffixes). Pure
 * functions; {@link NameCache} memoizes them so a scrape pays for each name once.
 */
public final class PrometheusNames {
  private static final String TOTAL = "_total";

  // Unit abbreviations (UCUM as used by OTel semantic conventions) to Prometheus plural words.
  private static final Map<String, String> PLURAL =
      Map.ofEntries(
          Map.entry("a", "years"),
          Map.entry("mo", "months"),
          Map.entry("wk", "weeks"),
          Map.entry("d", "days"),
          Map.entry("h", "hours"),
          Map.entry("min", "minutes"),
          Map.entry("s", "seconds"),
          Map.entry("ms", "milliseconds"),
          Map.entry("us", "microseconds"),
          Map.entry("ns", "nanoseconds"),
          Map.entry("By", "bytes"),
          Map.entry("KiBy", "kibibytes"),
          Map.entry("MiBy", "mebibytes"),
          Map.entry("GiBy", "gibibytes"),
          Map.entry("TiBy", "tibibytes"),
          Map.entry("KBy", "kilobytes"),
          Map.entry("MBy", "megabytes"),
          Map.entry("GBy", "gigabytes"),
          Map.entry("TBy", "terabytes"),
          Map.entry("m", "meters"),
          Map.entry("V", "volts"),
          Map.entry("A", "amperes"),
          Map.entry("J", "joules"),
          Map.entry("W", "watts"),
          Map.entry("g", "grams"),
          Map.entry("Cel", "celsius"),
          Map.entry("Hz", "hertz"),
          Map.entry("%", "percent"));

  // The denominator of a rate reads singular: By/s -> bytes_per_second.
  private static final Map<String, String> SINGULAR =
      Map.ofEntries(
          Map.entry("a", "year"),
          Map.entry("mo", "month"),
          Map.entry("wk", "week"),
          Map.entry("d", "day"),
          Map.entry("h", "hour"),
          Map.entry("min", "minute"),
          Map.entry("s", "second"),
          Map.entry("ms", "millisecond"),
          Map.entry("us", "microsecond"),
          Map.entry("ns", "nanosecond"),
          Map.entry("By", "byte"),
          Map.entry("KiBy", "kibibyte"),
          Map.entry("MiBy", "mebibyte"),
          Map.entry("GiBy", "gibibyte"),
          Map.entry("TiBy", "tibibyte"),
          Map.entry("KBy", "kilobyte"),
          Map.entry("MBy", "megabyte"),
          Map.entry("GBy", "gigabyte"),
          Map.entry("TBy", "terabyte"),
          Map.entry("m", "meter"),
          Map.entry("V", "volt"),
          Map.entry("A", "ampere"),
          Map.entry("J", "joule"),
          Map.entry("W", "watt"),
          Map.entry("g", "gram"));

  private PrometheusNames() {}

  /**
   * The family name: sanitized metric name, a counter's own {@code _total} removed (it is added
   * back once, after the unit), then {@code _<unit>} unless already there. Returns "" when nothing
   * valid is left, which the caller drops.
   */
  static String familyName(String otelName, String otelUnit, boolean counter) {
    String name = sanitizeMetricName(otelName);
    if (counter) {
      while (name.endsWith(TOTAL)) {
        name = name.substring(0, name.length() - TOTAL.length());
      }
    }
    String unit = unitSuffix(otelUnit);
    if (!unit.isEmpty() && !name.endsWith("_" + unit)) {
      name = collapseUnderscores(name + "_" + unit);
    }
    return isOnlyUnderscores(name) ? "" : name;
  }

  /**
   * The Prometheus unit word for an OTel unit, or "" for none: {@code {annotations}} dropped,
   * dimensionless {@code 1} dropped, abbreviations spelled out, {@code a/b} becomes {@code
   * as_per_b}, anything else not [a-zA-Z0-9] becomes {@code _}.
   *
   * <p>The current OTel spec and opentelemetry-java turn {@code 1} into {@code ratio}; gopherlens
   * drops it, as the export-pipeline brief asks and as the older opentelemetry-java helper did for
   * everything but gauges. Change it here, in one place, to follow the spec.
   */
  static String unitSuffix(String otelUnit) {
    if (otelUnit == null || otelUnit.isEmpty()) {
      return "";
    }
    String unit = otelUnit;
    if (unit.indexOf('{') >= 0) {
      unit = unit.replaceAll("\\{[^}]*}", "").trim();
    }
    if (unit.isEmpty() || unit.equals("/") || unit.equals("1")) {
      return "";
    }
    String word = PLURAL.get(unit);
    if (word == null) {
      int slash = unit.indexOf('/');
      if (slash >= 0) {
        String numerator = unit.substring(0, slash).trim();
        String denominator = unit.substring(slash + 1).trim();
        numerator = numerator.equals("1") ? "" : PLURAL.getOrDefault(numerator, numerator);
        denominator = SINGULAR.getOrDefault(denominator, denominator);
        word = numerator.isEmpty() ? "per_" + denominator : numerator + "_per_" + denominator;
      } else {
        word = unit;
      }
    }
    return trimUnderscores(replaceInvalid(word));
  }

  /**
   * Metric names match {@code [a-zA-Z_:][a-zA-Z0-9_:]*}: every other character (and a leading
   * digit) becomes {@code _}, runs of {@code _} collapse to one.
   */
  static String sanitizeMetricName(String name) {
    StringBuilder out = new StringBuilder(name.length());
    boolean underscore = false;
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      boolean valid = isAsciiLetter(cp) || cp == ':' || (isDigit(cp) && i > 0);
      if (valid) {
        out.appendCodePoint(cp);
        underscore = false;
      } else if (!underscore) {
        out.append('_');
        underscore = true;
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  /**
   * Label names match {@code [a-zA-Z_][a-zA-Z0-9_]*}: invalid characters become {@code _}, runs
   * collapse (so no user label starts with the reserved {@code __}), a leading digit gets a {@code
   * key_} prefix. Returns "" for a key with nothing valid in it, which the caller drops.
   */
  public static String sanitizeLabelName(String key) {
    if (key.isEmpty()) {
      return "";
    }
    String name = replaceInvalid(key);
    if (isOnlyUnderscores(name)) {
      return "";
    }
    return isDigit(name.charAt(0)) ? "key_" + name : name;
  }

  private static String replaceInvalid(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean underscore = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (isAsciiLetter(cp) || isDigit(cp)) {
        out.appendCodePoint(cp);
        underscore = false;
      } else if (!underscore) {
        out.append('_');
        underscore = true;
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  private static String collapseUnderscores(String s) {
    return s.indexOf("__") < 0 ? s : s.replaceAll("_{2,}", "_");
  }

  private static String trimUnderscores(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '_') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '_') {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isOnlyUnderscores(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != '_') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiLetter(int cp) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }

  private static boolean isDigit(int cp) {
    return cp >= '0' && cp <= '9';
  }
}
