package io.gopherlens.export.loki;

import io.gopherlens.export.prometheus.PrometheusNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Log records as Loki entries. Few, stable stream labels, so Loki keeps few streams: {@code
 * event_name} (the OTel event name, e.g. go.gc.pause), {@code host}, {@code k8s_namespace_name},
 * {@code k8s_pod_name}, {@code service_name}. Everything else (attributes, severity, trace ids)
 * is structured metadata with Prometheus-style names; the line is the body, or the metadata as
 * logfmt when there is no body, so a line is readable and {@code | logfmt} works on it.
 */
final class LokiEntryMapper {
  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
  static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("k8s.namespace.name");
  static final AttributeKey<String> POD = AttributeKey.stringKey("k8s.pod.name");
  static final AttributeKey<String> EVENT_NAME = AttributeKey.stringKey("event.name");
  private static final int MAX_CACHED_STREAMS = 4096;

  // Streams and sanitized names recur; keeping one instance of each bounds garbage and memory.
  private final Map<List<String>, LokiStream> streams = new HashMap<>();
  private final Map<String, String> metadataNames = new HashMap<>();
  // Consecutive records mostly share their stream: checked before the map, with no key to build.
  private LokiStream last;
  private String lastEvent;
  private String lastHost;
  private String lastNamespace;
  private String lastPod;
  private String lastService;

  synchronized LokiEntry map(LogRecordData record) {
    Resource resource = record.getResource();
    Attributes attributes = record.getAttributes();
    String event = record.getEventName();
    if (event == null || event.isEmpty()) {
      event = attributes.get(EVENT_NAME);
    }
    String service = resource.getAttributes().get(SERVICE_NAME);
    LokiStream stream =
        stream(
            event,
            resource.getAttributes().get(HOST_NAME),
            either(attributes, resource, NAMESPACE),
            either(attributes, resource, POD),
            service == null ? "unknown_service" : service);

    String[] all = new String[2 * attributes.size() + 6];
    int[] n = {0};
    attributes.forEach(
        (key, value) -> {
          if (!key.equals(NAMESPACE) && !key.equals(POD) && !key.equals(EVENT_NAME)) {
            String name = metadataName(key.getKey());
            if (!name.isEmpty()) {
              all[n[0]++] = name;
              all[n[0]++] = value instanceof Value<?> v ? v.asString() : String.valueOf(value);
            }
          }
        });
    if (record.getSeverityText() != null && !record.getSeverityText().isEmpty()) {
      all[n[0]++] = "severity_text";
      all[n[0]++] = record.getSeverityText();
    }
    SpanContext span = record.getSpanContext();
    if (span.isValid()) {
      all[n[0]++] = "trace_id";
      all[n[0]++] = span.getTraceId();
      all[n[0]++] = "span_id";
      all[n[0]++] = span.getSpanId();
    }
    String[] pairs = n[0] < all.length ? Arrays.copyOf(all, n[0]) : all;
    Value<?> body = record.getBodyValue();
    String line = body == null ? "" : body.asString();
    if (line.isEmpty()) {
      line = logfmt(event, pairs);
    }
    long timestamp = record.getTimestampEpochNanos();
    if (timestamp == 0) {
      timestamp = record.getObservedTimestampEpochNanos();
    }
    return new LokiEntry(stream, timestamp, line, pairs);
  }

  /** The stream of these label values (nulls left out), one instance per distinct set. */
  LokiStream stream(String event, String host, String namespace, String pod, String service) {
    if (last != null && Objects.equals(event, lastEvent) && Objects.equals(host, lastHost)
        && Objects.equals(namespace, lastNamespace) && Objects.equals(pod, lastPod)
        && Objects.equals(service, lastService)) {
      return last;
    }
    lastEvent = event;
    lastHost = host;
    lastNamespace = namespace;
    lastPod = pod;
    lastService = service;
    last = lookup(event, host, namespace, pod, service);
    return last;
  }

  private LokiStream lookup(String event, String host, String namespace, String pod, String service) {
    List<String> key = Arrays.asList(event, host, namespace, pod, service);
    LokiStream stream = streams.get(key);
    if (stream == null) {
      List<String> names = new ArrayList<>(5);
      List<String> values = new ArrayList<>(5);
      add(names, values, "event_name", event);
      add(names, values, "host", host);
      add(names, values, "k8s_namespace_name", namespace);
      add(names, values, "k8s_pod_name", pod);
      add(names, values, "service_name", service);
      stream = new LokiStream(names.toArray(new String[0]), values.toArray(new String[0]));
      if (streams.size() >= MAX_CACHED_STREAMS) {
        streams.clear();
      }
      streams.put(key, stream);
    }
    return stream;
  }

  private String metadataName(String key) {
    String name = metadataNames.get(key);
    if (name == null) {
      name = PrometheusNames.sanitizeLabelName(key);
      if (metadataNames.size() >= MAX_CACHED_STREAMS) {
        metadataNames.clear();
      }
      metadataNames.put(key, name);
    }
    return name;
  }

  private static String either(Attributes attributes, Resource resource, AttributeKey<String> key) {
    String value = attributes.get(key);
    return value != null ? value : resource.getAttributes().get(key);
  }

  // Names in alphabetical order, as LokiStream requires.
  private static void add(List<String> names, List<String> values, String name, String value) {
    if (value != null && !value.isEmpty()) {
      names.add(name);
      values.add(value);
    }
  }

  private static String logfmt(String event, String[] pairs) {
    int size = event == null ? 0 : event.length() + 7;
    for (String p : pairs) {
      size += p.length() + 1;
    }
    StringBuilder s = new StringBuilder(size);
    if (event != null) {
      s.append("event=").append(logfmtValue(event));
    }
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (s.length() > 0) {
        s.append(' ');
      }
      s.append(pairs[i]).append('=').append(logfmtValue(pairs[i + 1]));
    }
    return s.toString();
  }

  private static String logfmtValue(String v) {
    boolean plain = !v.isEmpty();
    for (int i = 0; i < v.length() && plain; i++) {
      char c = v.charAt(i);
      plain = c > ' ' && c != '"' && c != '=' && c != '\\';
    }
    if (plain) {
      return v;
    }
    return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
