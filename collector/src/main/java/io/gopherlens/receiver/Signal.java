package io.gopherlens.receiver;

/** The three OTLP signals, their HTTP paths and what one item of each is called. */
public enum Signal {
  METRICS("/v1/metrics", "data points"),
  LOGS("/v1/logs", "log records"),
  TRACES("/v1/traces", "spans");

  final String path;
  final String items;

  Signal(String path, String items) {
    this.path = path;
    this.items = items;
  }

  /** The signal a request path names, or null. */
  static Signal forPath(String path) {
    for (Signal s : values()) {
      if (s.path.equals(path)) return s;
    }
    return null;
  }

  public String label() {
    return name().toLowerCase();
  }
}
