package io.gopherlens.agent;

/**
 * One agent setting: its key in the config file (dotted, e.g. {@code prometheus.listen}), its
 * command-line flag, its environment variable, its embedded default and one line of help.
 * Booleans take no value on the command line: {@code --x} turns one on and {@code --no-x} off.
 *
 * @param env environment variable, or null when there is none (several OTEL_* names use this)
 * @param defaultValue null when the setting is unset by default
 */
public record Option(String key, String flag, String env, Type type, String defaultValue, String help) {
  /** How a value is checked; parsing itself happens in {@link AgentConfig}'s typed getters. */
  public enum Type {
    STRING,
    BOOLEAN,
    DURATION,
    POSITIVE_INT,
    BYTES,
    LISTEN
  }

  public String valueName() {
    return switch (type) {
      case STRING -> "VALUE";
      case BOOLEAN -> "";
      case DURATION -> "DUR";
      case POSITIVE_INT -> "N";
      case BYTES -> "SIZE";
      case LISTEN -> "HOST:PORT";
    };
  }
}
