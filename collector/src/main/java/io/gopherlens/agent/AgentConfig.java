package io.gopherlens.agent;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's resolved settings ({@link AgentOptions}). Precedence: command-line flag, then
 * environment variable, then config file, then the embedded default. Every value is checked
 * when resolved, so a typo fails at start with the option's name and where it came from.
 */
public final class AgentConfig {
  private final Map<String, String> values;

  private AgentConfig(Map<String, String> values) {
    this.values = values;
  }

  public static AgentConfig defaults() {
    return resolve(List.of(), Map.of());
  }

  /** Resolves flags on top of the environment on top of the config file (if one is named). */
  public static AgentConfig resolve(List<String> args, Map<String, String> env) {
    Map<String, String> flags = parseFlags(args);
    String configFile = flags.getOrDefault(AgentOptions.CONFIG.key(), env.get(AgentOptions.CONFIG.env()));
    Map<String, String> resolved = new HashMap<>();
    Map<String, String> source = new HashMap<>();
    for (Option o : AgentOptions.ALL) {
      if (o.defaultValue() != null) {
        resolved.put(o.key(), o.defaultValue());
        source.put(o.key(), "default");
      }
    }
    if (configFile != null && !configFile.isBlank()) {
      Map<String, String> file = ConfigFile.read(Path.of(configFile));
      file.forEach((k, v) -> {
        resolved.put(k, v);
        source.put(k, "key " + k + " in " + configFile);
      });
    }
    for (Option o : AgentOptions.ALL) {
      String v = o.env() == null ? null : env.get(o.env());
      if (v != null && !v.isBlank()) {
        resolved.put(o.key(), v.trim());
        source.put(o.key(), o.env());
      }
    }
    flags.forEach((k, v) -> {
      resolved.put(k, v);
      source.put(k, option(k).flag());
    });
    AgentConfig c = new AgentConfig(Map.copyOf(resolved));
    for (Option o : AgentOptions.ALL) {
      if (resolved.containsKey(o.key())) {
        try {
          c.check(o);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(source.get(o.key()) + ": " + e.getMessage());
        }
      }
    }
    return c;
  }

  /** Raw value, or null when unset. */
  public String string(Option o) {
    return values.get(o.key());
  }

  public boolean bool(Option o) {
    String v = values.getOrDefault(o.key(), "false");
    return switch (v.toLowerCase()) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("must be true or false, not '" + v + "'");
    };
  }

  public Duration duration(Option o) {
    return Durations.parse(values.get(o.key()), o.key());
  }

  public int positiveInt(Option o) {
    String v = values.get(o.key());
    try {
      int n = Integer.parseInt(v);
      if (n > 0) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("must be a positive whole number, not '" + v + "'");
  }

  public long bytes(Option o) {
    return ByteSizes.parse(values.get(o.key()));
  }

  /** Null when the value is "off". */
  public InetSocketAddress listen(Option o) {
    String v = values.get(o.key());
    return "off".equals(v) ? null : parseListen(v);
  }

  public InetSocketAddress prometheusListen() {
    return listen(AgentOptions.PROMETHEUS_LISTEN);
  }

  public boolean eventsToStdout() {
    return "stdout".equals(string(AgentOptions.EVENTS));
  }

  public boolean tcpEvents() {
    return bool(AgentOptions.TCP_EVENTS);
  }

  public boolean tcpCloseEvents() {
    return bool(AgentOptions.TCP_CLOSE_EVENTS);
  }

  public int maxPeersPerProcess() {
    return positiveInt(AgentOptions.MAX_PEERS);
  }

  public Duration flowInterval() {
    return duration(AgentOptions.FLOW_INTERVAL);
  }

  public Duration gcPauseThreshold() {
    return duration(AgentOptions.GC_PAUSE_THRESHOLD);
  }

  public long mapsMinBytes() {
    return bytes(AgentOptions.MAPS_MIN_BYTES);
  }

  private void check(Option o) {
    switch (o.type()) {
      case STRING -> {}
      case BOOLEAN -> bool(o);
      case DURATION -> duration(o);
      case POSITIVE_INT -> positiveInt(o);
      case BYTES -> bytes(o);
      case LISTEN -> listen(o);
    }
    if (o == AgentOptions.MAPS_MIN_BYTES && bytes(o) == 0) {
      throw new IllegalArgumentException("must be at least 1 byte (the smallest map growth is reported then), not 0");
    }
    if (o == AgentOptions.EVENTS) oneOf(o, "stdout", "off");
    if (o == AgentOptions.OTLP_PROTOCOL) oneOf(o, "grpc", "http/protobuf");
    if (o == AgentOptions.OTLP_COMPRESSION) oneOf(o, "gzip", "none");
    if (List.of(AgentOptions.METRICS_EXPORTER, AgentOptions.LOGS_EXPORTER, AgentOptions.TRACES_EXPORTER).contains(o)) {
      exporters(o);
    }
    if (o == AgentOptions.LOKI_FORMAT) oneOf(o, "protobuf", "json");
    if (List.of(AgentOptions.OTLP_HEADERS, AgentOptions.RESOURCE_ATTRIBUTES, AgentOptions.REMOTE_WRITE_HEADERS,
        AgentOptions.LOKI_HEADERS).contains(o)) {
      keyValues(o);
    }
    if (List.of(AgentOptions.OTLP_ENDPOINT, AgentOptions.OTLP_METRICS_ENDPOINT, AgentOptions.OTLP_LOGS_ENDPOINT,
        AgentOptions.OTLP_TRACES_ENDPOINT, AgentOptions.REMOTE_WRITE_URL, AgentOptions.LOKI_URL).contains(o)) {
      url(o);
    }
  }

  private void oneOf(Option o, String... allowed) {
    if (!List.of(allowed).contains(string(o))) {
      throw new IllegalArgumentException("must be " + String.join(" or ", allowed) + ", not '" + string(o) + "'");
    }
  }

  /** A comma-separated list of exporter names (OTEL_METRICS_EXPORTER style); "none" means empty. */
  public Set<String> exporters(Option o) {
    Set<String> out = new LinkedHashSet<>();
    for (String name : values.getOrDefault(o.key(), "none").split(",")) {
      String n = name.trim().toLowerCase();
      if (!n.equals("otlp") && !n.equals("none")) {
        throw new IllegalArgumentException("exporter '" + n + "' is not supported: use otlp or none");
      }
      if (n.equals("otlp")) out.add(n);
    }
    return out;
  }

  /** key=value,key2=value2 with percent-encoded values (OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS). */
  public Map<String, String> keyValues(Option o) {
    return KeyValueList.parse(values.get(o.key()));
  }

  /** An http or https URL, or null when unset. */
  public URI url(Option o) {
    String v = values.get(o.key());
    if (v == null || v.isBlank()) return null;
    try {
      URI u = new URI(v.trim());
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) return u;
    } catch (URISyntaxException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("must be an http:// or https:// URL with a host, not '" + v + "'");
  }

  /** The option a config key names; unknown keys are an error. */
  static Option option(String key) {
    for (Option o : AgentOptions.ALL) {
      if (o.key().equals(key)) return o;
    }
    throw new IllegalArgumentException("unknown setting '" + key + "'");
  }

  /** Flags to (key, value); --no-X turns off the boolean --X. */
  static Map<String, String> parseFlags(List<String> args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        value = a.substring(eq + 1);
        a = a.substring(0, eq);
      }
      Option o = byFlag(a);
      if (o != null && o.type() == Option.Type.BOOLEAN) {
        out.put(o.key(), value == null ? "true" : value);
        continue;
      }
      if (o == null && a.startsWith("--no-") && value == null) {
        Option positive = byFlag("--" + a.substring(5));
        if (positive != null && positive.type() == Option.Type.BOOLEAN) {
          out.put(positive.key(), "false");
          continue;
        }
      }
      if (o == null) {
        throw new IllegalArgumentException("unknown option '" + a + "'");
      }
      if (value == null) {
        if (++i >= args.size()) throw new IllegalArgumentException(a + " needs a value");
        value = args.get(i);
      }
      out.put(o.key(), value);
    }
    return out;
  }

  private static Option byFlag(String flag) {
    for (Option o : AgentOptions.ALL) {
      if (flag.equals(o.flag())) return o;
    }
    return null;
  }

  /** The options part of `agent --help`, generated so it never drifts from the registry. */
  static String optionsHelp() {
    StringBuilder b = new StringBuilder();
    for (Option o : AgentOptions.ALL) {
      String flag = o.type() == Option.Type.BOOLEAN ? o.flag() + ", --no-" + o.flag().substring(2) : o.flag() + " " + o.valueName();
      b.append("  ").append(flag).append('\n');
      b.append("      ").append(o.help());
      StringBuilder tail = new StringBuilder();
      if (o.defaultValue() != null) tail.append("default ").append(o.defaultValue());
      if (o.env() != null) tail.append(tail.length() > 0 ? "; " : "").append("env ").append(o.env());
      tail.append(tail.length() > 0 ? "; " : "").append("file key ").append(o.key());
      b.append(" (").append(tail).append(")\n");
    }
    return b.toString();
  }

  static InetSocketAddress parseListen(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("listen address must be HOST:PORT or off, not '" + hostPort + "'");
    }
    String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port in '" + hostPort + "' is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port in '" + hostPort + "' is out of range");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }
}
