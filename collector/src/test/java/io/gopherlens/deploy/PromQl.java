package io.gopherlens.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL expression selects (enough PromQL for the dashboards' queries). */
final class PromQl {
  private static final Set<String> KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset");
  private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private PromQl() {}

  static Set<String> metricNames(String expr) {
    String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // strings
        .replaceAll("\\{[^}]*}", " ") // label matchers
        .replaceAll("\\[[^]]*]", " ") // ranges
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " "); // grouping labels
    Set<String> names = new TreeSet<>();
    Matcher m = IDENT.matcher(s);
    while (m.find()) {
      String id = m.group();
      int after = m.end();
      while (after < s.length() && s.charAt(after) == ' ') after++;
      boolean function = after < s.length() && s.charAt(after) == '(';
      boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1)); // 9e18, 0.99
      if (!function && !number && !KEYWORDS.contains(id)) names.add(id);
    }
    return names;
  }

  /** Every metric name the dashboards' panels and variables query. */
  static Set<String> dashboardMetricNames() throws IOException {
    Set<String> out = new TreeSet<>();
    for (Path d : OtelConfigTest.dashboards()) {
      JsonNode json = new ObjectMapper().readTree(d.toFile());
      for (JsonNode panel : json.path("panels")) {
        for (JsonNode t : panel.path("targets")) out.addAll(metricNames(t.path("expr").asText()));
      }
      for (JsonNode v : json.path("templating").path("list")) {
        Matcher m = Pattern.compile("label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,").matcher(v.path("query").path("query").asText());
        if (m.find()) out.add(m.group(1));
      }
    }
    return out;
  }
}
