package io.gopherlens.export.loki;

import static io.gopherlens.export.BuilderArgs.atLeastOne;
import static io.gopherlens.export.BuilderArgs.positive;

import io.opentelemetry.api.metrics.MeterProvider;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/** Settings of a {@link LokiExporter}; only the push URL is required. */
public final class LokiExporterBuilder {
  URI endpoint;
  LokiFormat format = LokiFormat.PROTOBUF;
  final Map<String, String> headers = new LinkedHashMap<>();
  Duration timeout = Duration.ofSeconds(10);
  Duration initialBackoff = Duration.ofMillis(500);
  Duration maxBackoff = Duration.ofSeconds(30);
  int maxBatchEntries = 1000;
  Duration maxBatchDelay = Duration.ofSeconds(1);
  int queueLimit = 10_000;
  Path spoolDirectory;
  long spoolLimitBytes = 256L << 20;
  Supplier<MeterProvider> meterProvider;

  LokiExporterBuilder() {}

  /** The push URL, e.g. {@code http://loki:3100/loki/api/v1/push}. */
  public LokiExporterBuilder setEndpoint(String url) {
    URI uri = URI.create(Objects.requireNonNull(url, "url"));
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "Loki push URL must be http(s), like http://loki:3100/loki/api/v1/push, got " + url);
    }
    this.endpoint = uri;
    return this;
  }

  public LokiExporterBuilder setFormat(LokiFormat format) {
    this.format = Objects.requireNonNull(format, "format");
    return this;
  }

  /** The tenant of a multi-tenant Loki, sent as {@code X-Scope-OrgID}. */
  public LokiExporterBuilder setTenant(String tenant) {
    return addHeader("X-Scope-OrgID", tenant);
  }

  /** An extra request header (authorization); replaces one of the same name. */
  public LokiExporterBuilder addHeader(String name, String value) {
    headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  public LokiExporterBuilder setHeaders(Map<String, String> headers) {
    this.headers.clear();
    headers.forEach(this::addHeader);
    return this;
  }

  /** Per request: connect plus response. */
  public LokiExporterBuilder setTimeout(Duration timeout) {
    this.timeout = positive(timeout, "timeout");
    return this;
  }

  /** Retries (429, 5xx, connection errors) wait about {@code initial}, doubling up to {@code max}. */
  public LokiExporterBuilder setBackoff(Duration initial, Duration max) {
    this.initialBackoff = positive(initial, "initial backoff");
    this.maxBackoff = positive(max, "max backoff");
    return this;
  }

  /** A request carries at most this many entries, ... */
  public LokiExporterBuilder setMaxBatchEntries(int entries) {
    this.maxBatchEntries = atLeastOne(entries, "maxBatchEntries");
    return this;
  }

  /** ... and leaves at the latest this long after its first entry was queued. */
  public LokiExporterBuilder setMaxBatchDelay(Duration delay) {
    this.maxBatchDelay = positive(delay, "maxBatchDelay");
    return this;
  }

  /** Entries held in memory while the backend is slow or down (without a spool). */
  public LokiExporterBuilder setQueueLimit(int entries) {
    this.queueLimit = atLeastOne(entries, "queueLimit");
    return this;
  }

  /**
   * Keeps unsent entries in append-only segment files under {@code directory} instead of memory,
   * so they survive an outage and a restart; replayed in order at start. One exporter per folder.
   */
  public LokiExporterBuilder setSpool(Path directory, long limitBytes) {
    if (limitBytes < 1 << 16) {
      throw new IllegalArgumentException("spool limit must be at least 64 KiB, got " + limitBytes);
    }
    this.spoolDirectory = Objects.requireNonNull(directory, "directory");
    this.spoolLimitBytes = limitBytes;
    return this;
  }

  /** Where {@code gopherlens.export.dropped{exporter="loki"}} is reported. */
  public LokiExporterBuilder setMeterProvider(Supplier<MeterProvider> meterProvider) {
    this.meterProvider = meterProvider;
    return this;
  }

  /** Opens the spool (replaying what it holds) and starts the sender thread. */
  public LokiExporter build() {
    if (endpoint == null) {
      throw new IllegalStateException("the Loki exporter needs a push URL: call setEndpoint(url)");
    }
    return new LokiExporter(this);
  }
}
