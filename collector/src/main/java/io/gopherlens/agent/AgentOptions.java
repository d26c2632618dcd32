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
  public static final Option MAPS_MIN_BYTES =
      new Option("maps.min_bytes", "--maps-min-bytes", "GOPHERLENS_MAPS_MIN_BYTES", Type.BYTES, "64KiB",
          "Report a Go map's growth only when the map owns at least this much afterwards (fixed when the probe loads)");
  public static final Option MAPS_SAMPLE_INTERVAL =
      new Option("maps.sample_interval", "--maps-sample-interval", null, Type.DURATION, "10s",
          "How often tracked Go maps are re-read from process memory");
  public static final Option MAPS_RETENTION_DIVISOR =
      new Option("maps.retention_divisor", "--maps-retention-divisor", null, Type.POSITIVE_INT, "8",
          "Retention finding when a map's live entries fill less than 1/N of its slots");
  public static final Option MAPS_RETENTION_MIN_BYTES =
      new Option("maps.retention_min_bytes", "--maps-retention-min-bytes", null, Type.BYTES, "1MiB",
          "Retention findings only for maps owning at least this much");
  public static final Option MAPS_MAX_TRACKED =
      new Option("maps.max_tracked", "--maps-max-tracked", null, Type.POSITIVE_INT, "256",
          "Go maps tracked per process; further ones are refused and counted");
  public static final Option MAPS_TOP_SITES =
      new Option("maps.top_sites", "--maps-top-sites", null, Type.POSITIVE_INT, "10",
          "Map allocation sites per process with series of their own; the rest sum under site=\"_other\"");
  public static final Option LOG_LEVEL =
      new Option("log.level", "--log-level", "GOPHERLENS_LOG_LEVEL", Type.STRING, "info",
          "The agent's own log on stderr: debug, info, warn or error");

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
          MAPS_MIN_BYTES,
          MAPS_SAMPLE_INTERVAL,
          MAPS_RETENTION_DIVISOR,
          MAPS_RETENTION_MIN_BYTES,
          MAPS_MAX_TRACKED,
          MAPS_TOP_SITES,
          LOG_LEVEL);
}
