package io.gopherlens.agent;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code key=value,key2=value2} lists of OTEL_RESOURCE_ATTRIBUTES and
 * OTEL_EXPORTER_OTLP_HEADERS. Values are percent-decoded (so a value may hold a comma as %2C);
 * a '+' stays a '+', as the OpenTelemetry specification's W3C-baggage-like format has it.
 */
final class KeyValueList {
  private KeyValueList() {}

  static Map<String, String> parse(String list) {
    Map<String, String> out = new LinkedHashMap<>();
    if (list == null || list.isBlank()) return out;
    for (String entry : list.split(",")) {
      if (entry.isBlank()) continue;
      int eq = entry.indexOf('=');
      String key = eq < 0 ? "" : entry.substring(0, eq).trim();
      if (key.isEmpty()) {
        throw new IllegalArgumentException("entry '" + entry.trim() + "' must be key=value");
      }
      String raw = entry.substring(eq + 1).trim();
      try {
        out.put(key, URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("value of '" + key + "' has a broken percent escape: '" + raw + "'");
      }
    }
    return out;
  }
}
