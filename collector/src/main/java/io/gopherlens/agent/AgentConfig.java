package io.gopherlens.agent;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of the agent command. Precedence: command-line flag, then environment variable,
 * then the embedded default.
 *
 * @param prometheusListen null when the endpoint is off
 * @param tcpEvents print a JSON line per TCP state change and failed connect
 * @param tcpCloseEvents print a JSON line per closed connection (the tcplife record)
 * @param maxPeersPerProcess flow series per process and direction before folding into _other
 * @param flowInterval how often TCP flows are sampled and drained from the kernel
 * @param gcPauseThreshold GC pauses at least this long get an event line of their own
 */
public record AgentConfig(
    InetSocketAddress prometheusListen,
    boolean eventsToStdout,
    boolean tcpEvents,
    boolean tcpCloseEvents,
    int maxPeersPerProcess,
    Duration flowInterval,
    Duration gcPauseThreshold) {
  public static final String DEFAULT_PROMETHEUS = "127.0.0.1:9464";

  public static AgentConfig defaults() {
    return new AgentConfig(
        parseListen(DEFAULT_PROMETHEUS), true, true, false, 50, Duration.ofSeconds(10), Duration.ofMillis(5));
  }

  /** Applies GOPHERLENS_* environment variables on top of the defaults. */
  public static AgentConfig fromEnvironment(Map<String, String> env) {
    AgentConfig c = defaults();
    String listen = env.get("GOPHERLENS_PROMETHEUS_LISTEN");
    if (listen != null && !listen.isBlank()) {
      c = c.withPrometheusListen(listen);
    }
    String events = env.get("GOPHERLENS_EVENTS");
    if (events != null && !events.isBlank()) {
      c = c.withEvents(events);
    }
    return c;
  }

  public AgentConfig withPrometheusListen(String hostPort) {
    return new AgentConfig(
        "off".equals(hostPort) ? null : parseListen(hostPort),
        eventsToStdout, tcpEvents, tcpCloseEvents, maxPeersPerProcess, flowInterval, gcPauseThreshold);
  }

  public AgentConfig withEvents(String value) {
    boolean stdout =
        switch (value) {
          case "stdout" -> true;
          case "off" -> false;
          default -> throw new IllegalArgumentException("--events must be stdout or off, not '" + value + "'");
        };
    return new AgentConfig(prometheusListen, stdout, tcpEvents, tcpCloseEvents, maxPeersPerProcess, flowInterval, gcPauseThreshold);
  }

  public AgentConfig withTcpEvents(boolean on) {
    return new AgentConfig(prometheusListen, eventsToStdout, on, tcpCloseEvents, maxPeersPerProcess, flowInterval, gcPauseThreshold);
  }

  public AgentConfig withTcpCloseEvents(boolean on) {
    return new AgentConfig(prometheusListen, eventsToStdout, tcpEvents, on, maxPeersPerProcess, flowInterval, gcPauseThreshold);
  }

  public AgentConfig withMaxPeersPerProcess(String value) {
    int n = positiveInt(value, "--max-peers");
    return new AgentConfig(prometheusListen, eventsToStdout, tcpEvents, tcpCloseEvents, n, flowInterval, gcPauseThreshold);
  }

  public AgentConfig withFlowInterval(String value) {
    return new AgentConfig(
        prometheusListen, eventsToStdout, tcpEvents, tcpCloseEvents, maxPeersPerProcess, Durations.parse(value, "--flow-interval"), gcPauseThreshold);
  }

  public AgentConfig withGcPauseThreshold(String value) {
    return new AgentConfig(
        prometheusListen, eventsToStdout, tcpEvents, tcpCloseEvents, maxPeersPerProcess, flowInterval,
        Durations.parse(value, "--gc-pause-threshold"));
  }

  private static int positiveInt(String value, String option) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(option + " must be a positive whole number, not '" + value + "'");
  }

  static InetSocketAddress parseListen(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("listen address must be HOST:PORT, not '" + hostPort + "'");
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
