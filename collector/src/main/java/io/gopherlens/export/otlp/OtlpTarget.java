package io.gopherlens.export.otlp;

import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One OTLP destination of one signal: where, over which transport, with which headers, timeout
 * and compression. For http/protobuf the URL is the full request URL (…/v1/metrics); for grpc it
 * is scheme://host:port, the service path being fixed by the protocol.
 */
public record OtlpTarget(URI url, Protocol protocol, Map<String, String> headers, Duration timeout, boolean gzip) {
  /** OTEL_EXPORTER_OTLP_PROTOCOL values this agent speaks. */
  public enum Protocol {
    GRPC("grpc"),
    HTTP_PROTOBUF("http/protobuf");

    public final String label;

    Protocol(String label) {
      this.label = label;
    }

    public static Protocol of(String label) {
      for (Protocol p : values()) {
        if (p.label.equals(label)) return p;
      }
      throw new IllegalArgumentException("OTLP protocol must be grpc or http/protobuf, not '" + label + "'");
    }
  }

  public OtlpTarget {
    headers = Map.copyOf(headers);
  }

  /**
   * The target of one signal from the general endpoint (OTEL_EXPORTER_OTLP_ENDPOINT): for
   * http/protobuf the signal's path is appended, as the specification requires.
   */
  public static OtlpTarget fromBaseEndpoint(
      URI base, String signalPath, Protocol protocol, Map<String, String> headers, Duration timeout, boolean gzip) {
    URI url = base;
    if (protocol == Protocol.HTTP_PROTOBUF) {
      String b = base.toString();
      url = URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + signalPath);
    }
    return new OtlpTarget(url, protocol, headers, timeout, gzip);
  }

  public MetricExporter metricExporter() {
    if (protocol == Protocol.GRPC) {
      var b = OtlpGrpcMetricExporter.builder().setEndpoint(url.toString()).setTimeout(timeout);
      headers.forEach(b::addHeader);
      return b.setCompression(gzip ? "gzip" : "none").build();
    }
    var b = OtlpHttpMetricExporter.builder().setEndpoint(url.toString()).setTimeout(timeout);
    headers.forEach(b::addHeader);
    return b.setCompression(gzip ? "gzip" : "none").build();
  }

  public LogRecordExporter logRecordExporter() {
    if (protocol == Protocol.GRPC) {
      var b = OtlpGrpcLogRecordExporter.builder().setEndpoint(url.toString()).setTimeout(timeout);
      headers.forEach(b::addHeader);
      return b.setCompression(gzip ? "gzip" : "none").build();
    }
    var b = OtlpHttpLogRecordExporter.builder().setEndpoint(url.toString()).setTimeout(timeout);
    headers.forEach(b::addHeader);
    return b.setCompression(gzip ? "gzip" : "none").build();
  }

  /** For logs and errors; headers are left out because they often carry credentials. */
  @Override
  public String toString() {
    return "OTLP/" + protocol.label + " " + url;
  }
}
