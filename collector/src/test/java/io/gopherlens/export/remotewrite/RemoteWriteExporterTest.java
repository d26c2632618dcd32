package io.gopherlens.export.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gopherlens.export.prometheus.ExpositionFormat;
import io.gopherlens.export.prometheus.PrometheusTextWriter;
import io.gopherlens.testing.PrometheusProcess;
import io.gopherlens.testing.ScriptedHttpServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * Remote write into a real Prometheus 2.53 (remote-write receiver on), values queried back
 * through its HTTP API; retry behaviour against a scripted endpoint for the statuses Prometheus
 * does not produce on cue.
 */
class RemoteWriteExporterTest {
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  @TempDir static Path dir;
  private static PrometheusProcess prometheus;

  private InMemoryMetricReader reader;
  private Meter meter;

  @BeforeAll
  static void startPrometheus() throws Exception {
    prometheus = PrometheusProcess.start(dir, null, Duration.ofSeconds(1));
  }

  @AfterAll
  static void stopPrometheus() {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @BeforeEach
  void setUp() {
    reader = InMemoryMetricReader.create();
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .setResource(
                Resource.create(
                    Attributes.builder()
                        .put("service.name", "gopherlens")
                        .put("service.instance.id", "node-" + System.nanoTime())
                        .put("host.name", "node-a")
                        .build()))
            .registerMetricReader(reader, type -> 20_000)
            .build();
    meter = provider.meterBuilder("io.gopherlens.test").setInstrumentationVersion("0.1.0").build();
  }

  @Test
  void export_counterGaugeHistogram_prometheusStoresExactValuesUnderTheScrapeNames() throws Exception {
    String instance = recordSample("rw_exact");
    Collection<MetricData> metrics = reader.collectAllMetrics();
    RemoteWriteExporter exporter = RemoteWriteExporter.builder().setEndpoint(prometheus.remoteWriteUrl()).build();

    assertThat(exporter.export(metrics).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    String sel = "{instance=\"" + instance + "\"}";
    JsonNode counter = prometheus.awaitQuery("rw_exact_requests_total" + sel, r -> r.size() == 1, Duration.ofSeconds(10));
    assertThat(PrometheusProcess.value(counter)).isEqualTo(42);
    JsonNode labels = counter.get(0).get("metric");
    assertThat(labels.get("http_route").asText()).isEqualTo("/a");
    assertThat(labels.get("job").asText()).isEqualTo("gopherlens");
    assertThat(labels.get("otel_scope_name").asText()).isEqualTo("io.gopherlens.test");
    assertThat(labels.get("otel_scope_version").asText()).isEqualTo("0.1.0");
    assertThat(PrometheusProcess.value(prometheus.query("rw_exact_queue_depth_bytes" + sel))).isEqualTo(-7);
    assertThat(PrometheusProcess.value(prometheus.query("rw_exact_latency_seconds_bucket{le=\"0.1\",instance=\"" + instance + "\"}"))).isEqualTo(1);
    assertThat(PrometheusProcess.value(prometheus.query("rw_exact_latency_seconds_bucket{le=\"0.5\",instance=\"" + instance + "\"}"))).isEqualTo(3);
    assertThat(PrometheusProcess.value(prometheus.query("rw_exact_latency_seconds_bucket{le=\"1.0\",instance=\"" + instance + "\"}"))).isEqualTo(4);
    assertThat(PrometheusProcess.value(prometheus.query("rw_exact_latency_seconds_bucket{le=\"+Inf\",instance=\"" + instance + "\"}"))).isEqualTo(5);
    assertThat(PrometheusProcess.value(prometheus.query("rw_exact_latency_seconds_sum" + sel))).isEqualTo(6.25);
    assertThat(PrometheusProcess.value(prometheus.query("rw_exact_latency_seconds_count" + sel))).isEqualTo(5);
    assertThat(PrometheusProcess.value(prometheus.query("histogram_quantile(0.5, rw_exact_latency_seconds_bucket" + sel + ")")))
        .as("Prometheus reads the buckets as a histogram").isBetween(0.1, 0.5);
    JsonNode target = prometheus.query("target_info" + sel);
    assertThat(target.get(0).get("metric").get("host_name").asText()).isEqualTo("node-a");

    // One translation: every series the scrape endpoint shows, with the same labels.
    assertThat(storedSeries("{__name__=~\"rw_exact_.*\",instance=\"" + instance + "\"}"))
        .isEqualTo(scrapedSeries(metrics, "rw_exact_"));
  }

  @Test
  void export_olderSampleThanStored_prometheusAnswers400AndExporterDoesNotRetry() throws Exception {
    String instance = recordSample("rw_reject");
    Collection<MetricData> fresh = reader.collectAllMetrics();
    RemoteWriteExporter exporter =
        RemoteWriteExporter.builder().setEndpoint(prometheus.remoteWriteUrl()).setBackoff(Duration.ofMillis(10), Duration.ofMillis(10)).build();
    assertThat(exporter.export(fresh).isSuccess()).isTrue();
    MetricData counter = fresh.stream().filter(m -> m.getName().equals("rw_reject.requests")).findFirst().orElseThrow();
    LongPointData point = counter.getLongSumData().getPoints().iterator().next();
    MetricData stale =
        ImmutableMetricData.createLongSum(
            counter.getResource(), counter.getInstrumentationScopeInfo(), counter.getName(), counter.getDescription(), counter.getUnit(),
            ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE,
                List.of(ImmutableLongPointData.create(point.getStartEpochNanos(), point.getEpochNanos() - TimeUnit.MINUTES.toNanos(1),
                    point.getAttributes(), 41))));
    long rejectedBefore = writeRequests("400");

    CompletableResultCode result = exporter.export(List.of(stale));

    assertThat(result.isSuccess()).isFalse();
    assertThat(writeRequests("400") - rejectedBefore).as("requests answered 400: one, no retry").isEqualTo(1);
    assertThat(exporter.drops().get(RemoteWriteExporter.REJECTED))
        .as("the batch: the counter and target_info").isEqualTo(seriesCount(List.of(stale)));
    assertThat(PrometheusProcess.value(prometheus.query("rw_reject_requests_total{instance=\"" + instance + "\"}"))).isEqualTo(42);
  }

  @Test
  void export_smallBatches_everySampleArrivesInSeveralRequests() throws Exception {
    String instance = recordSample("rw_batch");
    Collection<MetricData> metrics = reader.collectAllMetrics();
    int series = seriesCount(metrics);
    RemoteWriteExporter exporter =
        RemoteWriteExporter.builder().setEndpoint(prometheus.remoteWriteUrl()).setMaxBatchSamples(3).build();
    long before = writeRequests("204");

    assertThat(exporter.export(metrics).isSuccess()).isTrue();

    assertThat(writeRequests("204") - before).isEqualTo((series + 2) / 3);
    JsonNode stored = prometheus.awaitQuery("count({instance=\"" + instance + "\"})", r -> r.size() == 1, Duration.ofSeconds(5));
    assertThat(PrometheusProcess.value(stored)).isEqualTo(series);
  }

  @Test
  void export_503Then429_retriesSameBodyWithBackoffThenSucceeds() throws Exception {
    recordSample("rw_retry");
    try (ScriptedHttpServer server = ScriptedHttpServer.start(204).script(503, 429)) {
      RemoteWriteExporter exporter =
          RemoteWriteExporter.builder()
              .setEndpoint(server.url("/api/v1/write"))
              .setBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
              .addHeader("Authorization", "Bearer t0ken")
              .build();

      assertThat(exporter.export(reader.collectAllMetrics()).isSuccess()).isTrue();

      List<ScriptedHttpServer.Request> requests = server.requests();
      assertThat(requests).hasSize(3);
      assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
      assertThat(requests.get(2).body()).isEqualTo(requests.get(0).body());
      ScriptedHttpServer.Request r = requests.get(0);
      assertThat(r.header("Content-Encoding")).isEqualTo("snappy");
      assertThat(r.header("Content-Type")).isEqualTo("application/x-protobuf");
      assertThat(r.header("X-Prometheus-Remote-Write-Version")).isEqualTo("0.1.0");
      assertThat(r.header("Authorization")).isEqualTo("Bearer t0ken");
      assertThat(Snappy.isValidCompressedBuffer(r.body())).isTrue();
      assertThat(exporter.drops().get(RemoteWriteExporter.RETRIES_EXHAUSTED)).isZero();
    }
  }

  @Test
  void export_backendDown_givesUpAfterMaxAttemptsAndCountsEverySample() throws Exception {
    recordSample("rw_down");
    Collection<MetricData> metrics = reader.collectAllMetrics();
    RemoteWriteExporter exporter =
        RemoteWriteExporter.builder()
            .setEndpoint("http://127.0.0.1:" + closedPort() + "/api/v1/write")
            .setMaxAttempts(3)
            .setMaxBatchSamples(2)
            .setBackoff(Duration.ofMillis(20), Duration.ofMillis(20))
            .build();

    long start = System.nanoTime();
    assertThat(exporter.export(metrics).isSuccess()).isFalse();

    assertThat(exporter.drops().get(RemoteWriteExporter.RETRIES_EXHAUSTED))
        .as("the failed batch and the rest of the export, unsent")
        .isEqualTo(seriesCount(metrics));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("one batch's retries, not one per batch").isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void export_steadyState_allocatesLittlePerSample() throws Exception {
    LongCounter counter = meter.counterBuilder("rw_alloc.bytes").setUnit("By").build();
    for (int i = 0; i < 10_000; i++) {
      counter.add(i, Attributes.of(AttributeKey.longKey("process.pid"), (long) i, ROUTE, "/r" + (i % 50)));
    }
    Collection<MetricData> metrics = reader.collectAllMetrics();
    try (ScriptedHttpServer server = ScriptedHttpServer.start(204)) {
      RemoteWriteExporter exporter =
          RemoteWriteExporter.builder().setEndpoint(server.url("/api/v1/write")).setMaxBatchSamples(2000).build();
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
      for (int warm = 0; warm < 3; warm++) {
        exporter.export(metrics);
      }
      long before = threads.getCurrentThreadAllocatedBytes();
      long start = System.nanoTime();
      exporter.export(metrics);
      long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      double perSample = allocated / (double) seriesCount(metrics);
      System.out.printf("remote write: %d bytes allocated on the exporting thread for %d samples (%.1f B/sample), %d us to a 204 endpoint%n",
          allocated, seriesCount(metrics), perSample, micros);
      assertThat(perSample).as("bytes allocated per sample (per-request HTTP, per-metric scope labels)").isLessThan(64);
    }
  }

  @Test
  void export_100kSeries_prometheusStoresEverySample() throws Exception {
    for (int c = 0; c < 5; c++) {
      LongCounter counter = meter.counterBuilder("rw_scale.bytes" + c).setUnit("By").build();
      for (int i = 0; i < 20_000; i++) {
        counter.add(i, Attributes.of(AttributeKey.longKey("process.pid"), (long) i, ROUTE, "/r" + (i % 50)));
      }
    }
    Collection<MetricData> metrics = reader.collectAllMetrics();
    String instance = metrics.iterator().next().getResource().getAttributes().get(AttributeKey.stringKey("service.instance.id"));
    RemoteWriteExporter exporter = RemoteWriteExporter.builder().setEndpoint(prometheus.remoteWriteUrl()).build();

    long start = System.nanoTime();
    assertThat(exporter.export(metrics).isSuccess()).isTrue();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.printf("remote write: 100,000 samples into Prometheus in %d ms (50 requests of 2,000)%n", ms);

    JsonNode stored = prometheus.awaitQuery(
        "count({__name__=~\"rw_scale_bytes.*\",instance=\"" + instance + "\"})", r -> PrometheusProcess.value(r) == 100_000, Duration.ofSeconds(20));
    assertThat(PrometheusProcess.value(stored)).isEqualTo(100_000);
    assertThat(PrometheusProcess.value(prometheus.query(
        "sum(rw_scale_bytes3_bytes_total{instance=\"" + instance + "\"})"))).isEqualTo(19_999L * 20_000 / 2);
  }

  /** Records a counter, an up-down counter and a histogram under {@code prefix}; returns the instance label. */
  private String recordSample(String prefix) {
    meter.counterBuilder(prefix + ".requests").setUnit("{request}").build().add(42, Attributes.of(ROUTE, "/a"));
    meter.upDownCounterBuilder(prefix + ".queue.depth").setUnit("By").build().add(-7);
    DoubleHistogram latency =
        meter.histogramBuilder(prefix + ".latency").setUnit("s").setExplicitBucketBoundariesAdvice(List.of(0.1, 0.5, 1.0)).build();
    for (double v : new double[] {0.05, 0.2, 0.3, 0.7, 5.0}) {
      latency.record(v);
    }
    return reader.collectAllMetrics().iterator().next().getResource().getAttributes().get(AttributeKey.stringKey("service.instance.id"));
  }

  /** Name and labels of every series Prometheus holds for {@code selector}, minus job/instance. */
  private static Set<Map<String, String>> storedSeries(String selector) throws Exception {
    JsonNode result = prometheus.awaitQuery(selector, r -> r.size() > 0, Duration.ofSeconds(5));
    Set<Map<String, String>> series = new HashSet<>();
    for (JsonNode s : result) {
      Map<String, String> labels = new HashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = s.get("metric").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().equals("job") && !e.getKey().equals("instance")) {
          labels.put(e.getKey(), e.getValue().asText());
        }
      }
      series.add(labels);
    }
    return series;
  }

  /** The same, from the scrape endpoint's text for these metrics. */
  private static Set<Map<String, String>> scrapedSeries(Collection<MetricData> metrics, String prefix) {
    ByteBuf out = Unpooled.buffer();
    PrometheusTextWriter.create().write(metrics, ExpositionFormat.PROMETHEUS_TEXT, out);
    String text = out.toString(StandardCharsets.UTF_8);
    out.release();
    Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? \\S+$");
    Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    Set<Map<String, String>> series = new HashSet<>();
    for (String l : text.split("\n")) {
      Matcher m = line.matcher(l);
      if (l.startsWith("#") || !m.matches() || !m.group(1).startsWith(prefix)) {
        continue;
      }
      Map<String, String> labels = new HashMap<>();
      labels.put("__name__", m.group(1));
      if (m.group(2) != null) {
        Matcher lm = label.matcher(m.group(2));
        while (lm.find()) {
          labels.put(lm.group(1), lm.group(2));
        }
      }
      series.add(labels);
    }
    return series;
  }

  private static int seriesCount(Collection<MetricData> metrics) {
    int[] n = {0};
    io.gopherlens.export.prometheus.PrometheusSeries.create().forEach(metrics, (labels, value, t) -> n[0]++);
    return n[0];
  }

  /** Requests to /api/v1/write that Prometheus answered with {@code code}, from its own metrics. */
  private static long writeRequests(String code) throws IOException, InterruptedException {
    String self = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(prometheus.remoteWriteUrl().replace("/api/v1/write", "/metrics"))).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
    Matcher m = Pattern.compile("prometheus_http_requests_total\\{code=\"" + code + "\",handler=\"/api/v1/write\"} (\\d+)").matcher(self);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
