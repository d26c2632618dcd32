package io.gopherlens.agent;

import io.gopherlens.agent.Option.Type;
import java.util.List;

/**
 * Every setting of the agent, in the order `--help` and the documented config file show them.
 * Add a setting here and it is a flag, a config-file key and (if named) an environment variable.
 */
public final class AgentOptions {
  private AgentOptions() {}

  public static final Option CONFIG =
      new Option("config", "--config", "GOPHERLENS_CONFIG", Type.STRING, null,
          "YAML config file; its keys are the dotted names below (flags and env override it)");
  public static final Option PROMETHEUS_LISTEN =
      new Option("prometheus.listen", "--prometheus", "GOPHERLENS_PROMETHEUS_LISTEN", Type.LISTEN, "127.0.0.1:9464",
          "Prometheus endpoint (/metrics, /healthz, /readyz), or \"off\"");
  public static final Option EVENTS =
      new Option("events", "--events", "GOPHERLENS_EVENTS", Type.STRING, "stdout",
          "Where event lines go: stdout or off");
  public static final Option TCP_EVENTS =
      new Option("tcp.events", "--tcp-events", null, Type.BOOLEAN, "true",
          "A line per TCP state change and failed connect (--no-tcp-events: aggregate only)");
  public static final Option TCP_CLOSE_EVENTS =
      new Option("tcp.close_events", "--tcp-close-events", null, Type.BOOLEAN, "false",
          "A line per closed connection: duration, bytes, RTT, retransmits");
  public static final Option FLOW_INTERVAL =
      new Option("tcp.flow_interval", "--flow-interval", null, Type.DURATION, "10s",
          "How often TCP flows are sampled and drained from the kernel");
  public static final Option MAX_PEERS =
      new Option("tcp.max_peers", "--max-peers", null, Type.POSITIVE_INT, "50",
          "Peer series per process and direction before the rest fold into network.peer.address=\"_other\"");
  public static final Option GC_PAUSE_THRESHOLD =
      new Option("gc.pause_threshold", "--gc-pause-threshold", null, Type.DURATION, "5ms",
          "GC pauses at least this long get an event line of their own");
  public static final Option LOG_LEVEL =
      new Option("log.level", "--log-level", "GOPHERLENS_LOG_LEVEL", Type.STRING, "info",
          "The agent's own log on stderr: debug, info, warn or error");

  public static final Option K8S_NODE_NAME =
      new Option("k8s.node_name", "--k8s-node-name", "K8S_NODE_NAME", Type.STRING, null,
          "This node's name (downward API spec.nodeName): when set, its pods are watched for k8s.* attributes");
  public static final Option K8S_API_SERVER =
      new Option("k8s.api_server", "--k8s-api-server", null, Type.STRING, null,
          "Kubernetes API server URL; unset: in-cluster (KUBERNETES_SERVICE_HOST and the service account)");

  public static final List<Option> ALL =
      List.of(
          CONFIG,
          PROMETHEUS_LISTEN,
          EVENTS,
          TCP_EVENTS,
          TCP_CLOSE_EVENTS,
          FLOW_INTERVAL,
          MAX_PEERS,
          GC_PAUSE_THRESHOLD,
          LOG_LEVEL,
          K8S_NODE_NAME,
          K8S_API_SERVER);
}
