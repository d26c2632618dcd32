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

  public static final Option SERVICE_NAME =
      new Option("service.name", "--service-name", "OTEL_SERVICE_NAME", Type.STRING, null,
          "service.name of what the agent exports; beats service.name in resource attributes; else gopherlens");
  public static final Option RESOURCE_ATTRIBUTES =
      new Option("resource.attributes", "--resource-attributes", "OTEL_RESOURCE_ATTRIBUTES", Type.STRING, null,
          "Extra resource attributes, key=value,key2=value2 (values percent-encoded)");
  public static final Option OTLP_ENDPOINT =
      new Option("otlp.endpoint", "--otlp-endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT", Type.STRING, null,
          "OTLP destination, e.g. http://collector:4318 (http/protobuf; /v1/metrics and /v1/logs are appended) or http://collector:4317 (grpc); unset: no OTLP");
  public static final Option OTLP_METRICS_ENDPOINT =
      new Option("otlp.metrics_endpoint", "--otlp-metrics-endpoint", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", Type.STRING, null,
          "OTLP destination of metrics only, used as is (full URL path for http/protobuf)");
  public static final Option OTLP_LOGS_ENDPOINT =
      new Option("otlp.logs_endpoint", "--otlp-logs-endpoint", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", Type.STRING, null,
          "OTLP destination of log records (events) only, used as is");
  public static final Option OTLP_TRACES_ENDPOINT =
      new Option("otlp.traces_endpoint", "--otlp-traces-endpoint", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", Type.STRING, null,
          "OTLP destination of traces the receiver accepts (gateway mode), used as is");
  public static final Option OTLP_PROTOCOL =
      new Option("otlp.protocol", "--otlp-protocol", "OTEL_EXPORTER_OTLP_PROTOCOL", Type.STRING, "http/protobuf",
          "OTLP transport: grpc or http/protobuf");
  public static final Option OTLP_HEADERS =
      new Option("otlp.headers", "--otlp-headers", "OTEL_EXPORTER_OTLP_HEADERS", Type.STRING, null,
          "Headers of every OTLP request, key=value,key2=value2 (values percent-encoded)");
  public static final Option OTLP_TIMEOUT =
      new Option("otlp.timeout", "--otlp-timeout", "OTEL_EXPORTER_OTLP_TIMEOUT", Type.POSITIVE_INT, "10000",
          "Milliseconds an OTLP export may take before it counts as failed");
  public static final Option OTLP_COMPRESSION =
      new Option("otlp.compression", "--otlp-compression", "OTEL_EXPORTER_OTLP_COMPRESSION", Type.STRING, "none",
          "OTLP request compression: gzip or none");
  public static final Option METRICS_EXPORTER =
      new Option("metrics.exporter", "--metrics-exporter", "OTEL_METRICS_EXPORTER", Type.STRING, "otlp",
          "Push exporters of metrics: otlp (when an endpoint is set) or none; the scrape endpoint is --prometheus");
  public static final Option METRIC_EXPORT_INTERVAL =
      new Option("metrics.export_interval", "--metric-export-interval", "OTEL_METRIC_EXPORT_INTERVAL", Type.POSITIVE_INT, "60000",
          "Milliseconds between two pushes of every metric");
  public static final Option LOGS_EXPORTER =
      new Option("logs.exporter", "--logs-exporter", "OTEL_LOGS_EXPORTER", Type.STRING, "otlp",
          "Exporters of events as log records: otlp (when an endpoint is set) or none");
  public static final Option TRACES_EXPORTER =
      new Option("traces.exporter", "--traces-exporter", "OTEL_TRACES_EXPORTER", Type.STRING, "otlp",
          "Where received traces are forwarded: otlp (when an endpoint is set) or none");
  public static final Option K8S_NODE_NAME =
      new Option("k8s.node_name", "--k8s-node-name", "K8S_NODE_NAME", Type.STRING, null,
          "This node's name (downward API spec.nodeName): when set, its pods are watched for k8s.* attributes");
  public static final Option K8S_API_SERVER =
      new Option("k8s.api_server", "--k8s-api-server", null, Type.STRING, null,
          "Kubernetes API server URL; unset: in-cluster (KUBERNETES_SERVICE_HOST and the service account)");
  public static final Option RECEIVER_ENABLED =
      new Option("receiver.enabled", "--receiver", "GOPHERLENS_RECEIVER_ENABLED", Type.BOOLEAN, "false",
          "Accept OTLP from other exporters and forward it with the agent's own data (always on in `gateway`)");
  public static final Option RECEIVER_HTTP_LISTEN =
      new Option("receiver.http.listen", "--receiver-http", null, Type.LISTEN, "127.0.0.1:4318",
          "OTLP/HTTP listener (/v1/metrics, /v1/logs, /v1/traces), or \"off\"");
  public static final Option RECEIVER_GRPC_LISTEN =
      new Option("receiver.grpc.listen", "--receiver-grpc", null, Type.LISTEN, "127.0.0.1:4317",
          "OTLP/gRPC listener, or \"off\"");
  public static final Option RECEIVER_MAX_BODY =
      new Option("receiver.max_body", "--receiver-max-body", null, Type.BYTES, "8MiB",
          "Largest request body on the wire (HTTP 413, gRPC RESOURCE_EXHAUSTED above it)");
  public static final Option RECEIVER_MAX_DECOMPRESSED =
      new Option("receiver.max_decompressed", "--receiver-max-decompressed", null, Type.BYTES, "32MiB",
          "Largest OTLP/HTTP body after gzip; inflating stops there (gzip bombs)");
  public static final Option RECEIVER_MAX_INFLIGHT =
      new Option("receiver.max_inflight_bytes", "--receiver-max-inflight", null, Type.BYTES, "256MiB",
          "Request bytes held at once; above it senders get 429 / UNAVAILABLE with a retry delay");
  public static final Option RECEIVER_HEADER_TIMEOUT =
      new Option("receiver.header_timeout", "--receiver-header-timeout", null, Type.DURATION, "10s",
          "A request's headers must arrive within this of its first byte (else 408)");
  public static final Option RECEIVER_READ_TIMEOUT =
      new Option("receiver.read_timeout", "--receiver-read-timeout", null, Type.DURATION, "30s",
          "A request's whole body must arrive within this of its first byte (else 408)");
  public static final Option RECEIVER_IDLE_TIMEOUT =
      new Option("receiver.idle_timeout", "--receiver-idle-timeout", null, Type.DURATION, "2m",
          "Keep-alive connections silent this long are closed");
  public static final Option RECEIVER_BEARER_TOKEN =
      new Option("receiver.auth.bearer_token", "--receiver-bearer-token", "GOPHERLENS_RECEIVER_BEARER_TOKEN", Type.STRING, null,
          "Require Authorization: Bearer <token> on every OTLP request");
  public static final Option RECEIVER_BEARER_TOKEN_FILE =
      new Option("receiver.auth.bearer_token_file", "--receiver-bearer-token-file", null, Type.STRING, null,
          "File holding the bearer token (e.g. a mounted Kubernetes secret)");
  public static final Option RECEIVER_TLS_CERT =
      new Option("receiver.tls.cert", "--receiver-tls-cert", null, Type.STRING, null,
          "PEM certificate chain: serve OTLP over TLS (with receiver.tls.key)");
  public static final Option RECEIVER_TLS_KEY =
      new Option("receiver.tls.key", "--receiver-tls-key", null, Type.STRING, null,
          "PEM PKCS#8 private key of receiver.tls.cert");

  public static final Option REMOTE_WRITE_URL =
      new Option("prometheus.remote_write.url", "--remote-write-url", "GOPHERLENS_REMOTE_WRITE_URL", Type.STRING, null,
          "Prometheus remote-write receiver, e.g. http://prometheus:9090/api/v1/write; unset: no remote write");
  public static final Option REMOTE_WRITE_HEADERS =
      new Option("prometheus.remote_write.headers", "--remote-write-headers", "GOPHERLENS_REMOTE_WRITE_HEADERS", Type.STRING, null,
          "Headers of every remote-write request, key=value,key2=value2 (values percent-encoded)");
  public static final Option REMOTE_WRITE_INTERVAL =
      new Option("prometheus.remote_write.interval", "--remote-write-interval", null, Type.DURATION, "15s",
          "How often every metric is pushed by remote write");
  public static final Option LOKI_URL =
      new Option("loki.url", "--loki-url", "GOPHERLENS_LOKI_URL", Type.STRING, null,
          "Loki push URL for events, e.g. http://loki:3100/loki/api/v1/push; unset: no Loki");
  public static final Option LOKI_TENANT =
      new Option("loki.tenant", "--loki-tenant", "GOPHERLENS_LOKI_TENANT", Type.STRING, null,
          "X-Scope-OrgID of a multi-tenant Loki");
  public static final Option LOKI_HEADERS =
      new Option("loki.headers", "--loki-headers", "GOPHERLENS_LOKI_HEADERS", Type.STRING, null,
          "Headers of every Loki push, key=value,key2=value2 (values percent-encoded)");
  public static final Option LOKI_FORMAT =
      new Option("loki.format", "--loki-format", null, Type.STRING, "protobuf",
          "Loki push body: protobuf (snappy) or json");
  public static final Option LOKI_SPOOL_DIR =
      new Option("loki.spool_dir", "--loki-spool-dir", null, Type.STRING, null,
          "Folder that keeps unsent events across Loki outages and restarts; unset: a bounded memory queue");
  public static final Option LOKI_SPOOL_LIMIT =
      new Option("loki.spool_limit", "--loki-spool-limit", null, Type.BYTES, "256MiB",
          "Largest size of the Loki spool; the oldest events go first beyond it");

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
          LOG_LEVEL,
          SERVICE_NAME,
          RESOURCE_ATTRIBUTES,
          OTLP_ENDPOINT,
          OTLP_METRICS_ENDPOINT,
          OTLP_LOGS_ENDPOINT,
          OTLP_TRACES_ENDPOINT,
          OTLP_PROTOCOL,
          OTLP_HEADERS,
          OTLP_TIMEOUT,
          OTLP_COMPRESSION,
          METRICS_EXPORTER,
          METRIC_EXPORT_INTERVAL,
          LOGS_EXPORTER,
          TRACES_EXPORTER,
          REMOTE_WRITE_URL,
          REMOTE_WRITE_HEADERS,
          REMOTE_WRITE_INTERVAL,
          LOKI_URL,
          LOKI_TENANT,
          LOKI_HEADERS,
          LOKI_FORMAT,
          LOKI_SPOOL_DIR,
          LOKI_SPOOL_LIMIT,
          K8S_NODE_NAME,
          K8S_API_SERVER,
          RECEIVER_ENABLED,
          RECEIVER_HTTP_LISTEN,
          RECEIVER_GRPC_LISTEN,
          RECEIVER_MAX_BODY,
          RECEIVER_MAX_DECOMPRESSED,
          RECEIVER_MAX_INFLIGHT,
          RECEIVER_HEADER_TIMEOUT,
          RECEIVER_READ_TIMEOUT,
          RECEIVER_IDLE_TIMEOUT,
          RECEIVER_BEARER_TOKEN,
          RECEIVER_BEARER_TOKEN_FILE,
          RECEIVER_TLS_CERT,
          RECEIVER_TLS_KEY);
}
