package io.gopherlens.export.remotewrite;

import static io.gopherlens.export.BuilderArgs.atLeastOne;
import static io.gopherlens.export.BuilderArgs.positive;

import io.opentelemetry.api.metrics.MeterProvider;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/** Settings of a {@link RemoteWriteExporter}; only the endpoint is required. */
public final class RemoteWriteExporterBuilder {
  URI endpoint;
  final Map<String, String> headers = new LinkedHashMap<>();
  Duration timeout = Duration.ofSeconds(10);
  int maxAttempts = 5;
  Duration initialBackoff = Duration.ofMillis(100);
  Duration maxBackoff = Duration.ofSeconds(5);
  int maxBatchSamples = 2000;
  Supplier<MeterProvider> meterProvider;

  RemoteWriteExporterBuilder() {}

  /** The receiver's URL, e.g. {@code http://127.0.0.1:9090/api/v1/write}. */
  public RemoteWriteExporterBuilder setEndpoint(String url) {
    URI uri = URI.create(Objects.requireNonNull(url, "url"));
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "remote write endpoint must be an http(s) URL like http://host:9090/api/v1/write, got " + url);
    }
    this.endpoint = uri;
    return this;
  }

  /** An extra request header (authorization, tenant); replaces one of the same name. */
  public RemoteWriteExporterBuilder addHeader(String name, String value) {
    headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  public RemoteWriteExporterBuilder setHeaders(Map<String, String> headers) {
    this.headers.clear();
    headers.forEach(this::addHeader);
    return this;
  }

  /** Per request: connect plus response. */
  public RemoteWriteExporterBuilder setTimeout(Duration timeout) {
    this.timeout = positive(timeout, "timeout");
    return this;
  }

  /** Tries per batch (1 = no retry) on 429, 5xx and connection errors. */
  public RemoteWriteExporterBuilder setMaxAttempts(int maxAttempts) {
    this.maxAttempts = atLeastOne(maxAttempts, "maxAttempts");
    return this;
  }

  /** The first retry waits about {@code initial}, each next one twice as long up to {@code max}. */
  public RemoteWriteExporterBuilder setBackoff(Duration initial, Duration max) {
    this.initialBackoff = positive(initial, "initial backoff");
    this.maxBackoff = positive(max, "max backoff");
    return this;
  }

  /** Samples per request (Prometheus' own default {@code max_samples_per_send} is 2000). */
  public RemoteWriteExporterBuilder setMaxBatchSamples(int maxBatchSamples) {
    this.maxBatchSamples = atLeastOne(maxBatchSamples, "maxBatchSamples");
    return this;
  }

  /** Where {@code gopherlens.export.dropped{exporter="prometheus_remote_write"}} is reported. */
  public RemoteWriteExporterBuilder setMeterProvider(Supplier<MeterProvider> meterProvider) {
    this.meterProvider = meterProvider;
    return this;
  }

  public RemoteWriteExporter build() {
    if (endpoint == null) {
      throw new IllegalStateException("remote write needs an endpoint: call setEndpoint(url)");
    }
    return new RemoteWriteExporter(this);
  }
}
