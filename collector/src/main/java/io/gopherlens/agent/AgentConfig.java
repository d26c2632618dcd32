package io.gopherlens.agent;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Settings of the agent command. Precedence: command-line flag, then environment variable,
 * then the embedded default.
 */
public record AgentConfig(InetSocketAddress prometheusListen, boolean eventsToStdout, boolean tcpEvents) {
  public static final String DEFAULT_PROMETHEUS = "127.0.0.1:9464";

  public static AgentConfig defaults() {
    return new AgentConfig(parseListen(DEFAULT_PROMETHEUS), true, true);
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
    return new AgentConfig("off".equals(hostPort) ? null : parseListen(hostPort), eventsToStdout, tcpEvents);
  }

  public AgentConfig withEvents(String value) {
    return switch (value) {
      case "stdout" -> new AgentConfig(prometheusListen, true, tcpEvents);
      case "off" -> new AgentConfig(prometheusListen, false, tcpEvents);
      default -> throw new IllegalArgumentException("--events must be stdout or off, not '" + value + "'");
    };
  }

  public AgentConfig withTcpEvents(boolean enabled) {
    return new AgentConfig(prometheusListen, eventsToStdout, enabled);
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
