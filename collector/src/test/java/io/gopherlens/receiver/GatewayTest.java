package io.gopherlens.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.agent.AgentConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * `gopherlens gateway` in-process, without root: the SDK's exporter sends to it, and what it
 * received comes out of its Prometheus endpoint and, over OTLP, at a second receiver downstream.
 */
class GatewayTest {
  private static final Resource SENDER = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "billing"));

  @Test
  void gateway_servesReceivedMetricsOnPrometheus_andForwardsMetricsAndLogsOverOtlp() throws Exception {
    RecordingSink downstream = new RecordingSink(false);
    OtlpReceiver next =
        new OtlpReceiver(ReceiverSettings.defaults().withListeners(new InetSocketAddress("127.0.0.1", 0), null), downstream).start();
    int prometheusPort = freePort();
    AgentConfig config =
        AgentConfig.resolve(
            List.of(
                "--receiver-http", "127.0.0.1:0",
                "--receiver-grpc", "127.0.0.1:0",
                "--prometheus", "127.0.0.1:" + prometheusPort,
                "--otlp-endpoint", "http://127.0.0.1:" + next.httpAddress().getPort(),
                "--metric-export-interval", "300"),
            Map.of());
    Gateway gateway = new Gateway(config);
    try {
      gateway.start();
      int port = gateway.receiver().httpAddress().getPort();

      PeriodicMetricReader reader =
          PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder().setEndpoint("http://127.0.0.1:" + port + "/v1/metrics").build())
              .setInterval(Duration.ofHours(1))
              .build();
      try (SdkMeterProvider sender = SdkMeterProvider.builder().setResource(SENDER).registerMetricReader(reader).build()) {
        sender.get("io.example.billing").counterBuilder("invoices.sent").build().add(17, Attributes.of(AttributeKey.stringKey("plan"), "pro"));
        assertThat(sender.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      try (SdkLoggerProvider logs =
          SdkLoggerProvider.builder()
              .setResource(SENDER)
              .addLogRecordProcessor(
                  SimpleLogRecordProcessor.create(OtlpHttpLogRecordExporter.builder().setEndpoint("http://127.0.0.1:" + port + "/v1/logs").build()))
              .build()) {
        logs.get("io.example.billing").logRecordBuilder().setBody("invoice 42 sent").emit();
        assertThat(logs.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }

      String scrape = scrape(prometheusPort);
      assertThat(scrape).containsPattern("(?m)^invoices_sent_total\\{[^}]*plan=\"pro\"[^}]*\\} 17$");
      assertThat(scrape).containsPattern("(?m)^gopherlens_receiver_items_total\\{[^}]*outcome=\"accepted\"[^}]*signal=\"metrics\"[^}]*\\} [1-9]");

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while ((downstream.metric("invoices.sent") == null || downstream.logs().isEmpty()) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(downstream.metric("invoices.sent")).as("forwarded over OTLP by the gateway's periodic reader").isNotNull();
      assertThat(downstream.metric("invoices.sent").getLongSumData().getPoints().iterator().next().getValue()).isEqualTo(17);
      assertThat(downstream.metric("invoices.sent").getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("billing");
      assertThat(downstream.logs()).anySatisfy(l -> assertThat(l.getBodyValue().asString()).isEqualTo("invoice 42 sent"));
    } finally {
      gateway.close();
      next.close();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String scrape(int port) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
