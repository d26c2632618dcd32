package io.gopherlens.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real server on an ephemeral port, driven by java.net.http, with Netty leak detection on. */
class PrometheusServerTest {
  @RegisterExtension static final LeakCaptureExtension leaks = new LeakCaptureExtension();

  private final AtomicBoolean ready = new AtomicBoolean(true);
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private SdkMeterProvider provider;
  private PrometheusMetricReader reader;
  private PrometheusServer server;

  @BeforeEach
  void setUp() {
    reader = new PrometheusMetricReader();
    provider =
        SdkMeterProvider.builder()
            .setResource(
                Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "t")))
            .registerMetricReader(reader)
            .build();
    provider
        .get("io.gopherlens")
        .counterBuilder("gopherlens.probe.records")
        .setUnit("{record}")
        .build()
        .add(5, Attributes.of(AttributeKey.longKey("process.pid"), 1L));
    server =
        PrometheusServer.builder()
            .port(0)
            .metricReader(reader)
            .readiness(ready::get)
            .warmUp(false)
            .build()
            .start();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    provider.close();
    assertThat(leaks.drainAfterGc(5)).as("Netty leak reports").isEmpty();
  }

  @Test
  void start_portZero_bindsLoopbackEphemeralPort() {
    assertThat(server.port()).isPositive();
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void metrics_noAccept_text004() throws Exception {
    HttpResponse<String> response = get("/metrics", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body())
        .isEqualTo(
            "# HELP target_info Target metadata\n"
                + "# TYPE target_info gauge\n"
                + "target_info{service_name=\"t\"} 1\n"
                + "# TYPE gopherlens_probe_records_total counter\n"
                + "gopherlens_probe_records_total{process_pid=\"1\",otel_scope_name=\"io.gopherlens\"}"
                + " 5\n");
  }

  @Test
  void metrics_prometheusAccept_openMetrics() throws Exception {
    HttpResponse<String> response = get("/metrics", ExpositionFormatTest.PROMETHEUS_ACCEPT);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(response.body())
        .startsWith("# TYPE target info\n")
        .contains("# TYPE gopherlens_probe_records counter\n")
        .contains(
            "gopherlens_probe_records_total{process_pid=\"1\",otel_scope_name=\"io.gopherlens\"}"
                + " 5\n")
        .endsWith("# EOF\n");
  }

  @Test
  void metrics_manyScrapesOnOneConnection_allSucceed() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(
              get("/metrics", i % 2 == 0 ? null : ExpositionFormatTest.PROMETHEUS_ACCEPT)
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void healthz_running_ok() throws Exception {
    HttpResponse<String> response = get("/healthz", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
  }

  @Test
  void readyz_flip_followsReadiness() throws Exception {
    assertThat(get("/readyz", null).statusCode()).isEqualTo(200);
    ready.set(false);
    HttpResponse<String> notReady = get("/readyz", null);
    ready.set(true);

    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).isEqualTo("not ready");
    assertThat(get("/readyz", null).body()).isEqualTo("ready");
  }

  @Test
  void unknownPath_404() throws Exception {
    assertThat(get("/", null).statusCode()).isEqualTo(404);
    assertThat(get("/metrics/extra", null).statusCode()).isEqualTo(404);
  }

  @Test
  void post_405WithAllow() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("allow")).hasValue("GET, HEAD");
  }

  @Test
  void head_metrics_lengthWithoutBody() throws Exception {
    int getLength = get("/metrics", null).body().length();

    HttpResponse<String> head =
        http.send(
            HttpRequest.newBuilder(uri("/metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValueAsLong("content-length")).hasValue(getLength);
  }

  @Test
  void idleTimeout_idleConnection_closedByServer() throws Exception {
    try (PrometheusServer quick =
            PrometheusServer.builder()
                .port(0)
                .metricReader(reader)
                .idleTimeout(Duration.ofMillis(200))
                .warmUp(false)
                .build()
                .start();
        Socket socket = new Socket("127.0.0.1", quick.port())) {
      socket.setSoTimeout(5_000);
      InputStream in = socket.getInputStream();
      assertThat(in.read()).as("server closes the idle connection: EOF").isEqualTo(-1);
    }
  }

  @Test
  void start_portInUse_explainsBindFailure() {
    PrometheusServer second =
        PrometheusServer.builder().port(server.port()).metricReader(reader).warmUp(false).build();

    assertThatThrownBy(second::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "failed to bind the Prometheus endpoint to 127.0.0.1:" + server.port())
        .hasMessageContaining("choose a free port");
    second.close();
  }

  @Test
  void start_withWarmUp_servesWhileWarmingAndFinishes() throws Exception {
    try (PrometheusServer warming =
        PrometheusServer.builder().port(0).metricReader(reader).build().start()) {
      URI base = URI.create("http://127.0.0.1:" + warming.port());
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(base.resolve("/healthz")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(base.resolve("/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("gopherlens_probe_records_total");
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals("gopherlens-prometheus-warmup")) {
          t.join(30_000);
          assertThat(t.isAlive()).as("warm-up finished").isFalse();
        }
      }
    }
  }

  @Test
  void start_twice_rejected() {
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void build_withoutReader_explainsWhatIsMissing() {
    assertThatThrownBy(() -> PrometheusServer.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("metricReader");
  }

  @Test
  void close_twice_isHarmless() {
    server.close();
    server.close();
  }

  private HttpResponse<String> get(String path, String accept) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
