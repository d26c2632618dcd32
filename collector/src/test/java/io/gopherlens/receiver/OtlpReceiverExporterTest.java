package io.gopherlens.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.export.prometheus.PrometheusMetricReader;
import io.gopherlens.export.prometheus.PrometheusServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry Java SDK's own OTLP exporters (HTTP/protobuf and gRPC, OkHttp senders) send
 * to the receiver; what they sent must come out of the sink and a real Prometheus scrape intact.
 */
class OtlpReceiverExporterTest {
  private static final Resource SENDER =
      Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout", AttributeKey.stringKey("service.version"), "1.4.2"));

  private final RecordingSink sink = new RecordingSink(true);
  private OtlpReceiver receiver;
  private SdkMeterProvider gateway;
  private PrometheusServer prometheus;

  @BeforeEach
  void start() {
    receiver =
        new OtlpReceiver(
                ReceiverSettings.defaults().withListeners(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0)), sink)
            .start();
    PrometheusMetricReader reader = new PrometheusMetricReader();
    gateway = SdkMeterProvider.builder().registerMetricReader(reader).registerMetricProducer(sink).build();
    prometheus = PrometheusServer.builder().port(0).metricReader(reader).warmUp(false).build().start();
  }

  @AfterEach
  void stop() {
    prometheus.close();
    gateway.close();
    receiver.close();
  }

  @Test
  void metrics_overHttpProtobuf_arriveIntactAndAreScraped() throws Exception {
    sendMetrics(OtlpHttpMetricExporter.builder().setEndpoint("http://127.0.0.1:" + receiver.httpAddress().getPort() + "/v1/metrics").build());
    assertMetricsIntact();
  }

  @Test
  void metrics_overHttpGzip_arriveIntact() throws Exception {
    sendMetrics(
        OtlpHttpMetricExporter.builder()
            .setEndpoint("http://127.0.0.1:" + receiver.httpAddress().getPort() + "/v1/metrics")
            .setCompression("gzip")
            .build());
    assertMetricsIntact();
  }

  @Test
  void metrics_overGrpc_arriveIntactAndAreScraped() throws Exception {
    sendMetrics(
        OtlpGrpcMetricExporter.builder().setEndpoint("http://127.0.0.1:" + receiver.grpcAddress().getPort()).setCompression("gzip").build());
    assertMetricsIntact();
  }

  @Test
  void logs_overHttpAndGrpc_arriveIntact() {
    sendLogs(OtlpHttpLogRecordExporter.builder().setEndpoint("http://127.0.0.1:" + receiver.httpAddress().getPort() + "/v1/logs").build());
    sendLogs(OtlpGrpcLogRecordExporter.builder().setEndpoint("http://127.0.0.1:" + receiver.grpcAddress().getPort()).build());

    List<LogRecordData> logs = sink.logs();
    assertThat(logs).hasSize(2);
    for (LogRecordData log : logs) {
      assertThat(log.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("checkout");
      assertThat(log.getInstrumentationScopeInfo().getName()).isEqualTo("io.example.orders");
      assertThat(log.getSeverity()).isEqualTo(Severity.WARN);
      assertThat(log.getSeverityText()).isEqualTo("WARN");
      assertThat(log.getBodyValue().asString()).isEqualTo("payment retried");
      assertThat(log.getAttributes().get(AttributeKey.longKey("attempt"))).isEqualTo(3L);
      assertThat(log.getAttributes().get(AttributeKey.stringArrayKey("tags"))).containsExactly("card", "eu");
      assertThat(log.getTimestampEpochNanos()).isEqualTo(1_700_000_000_123_456_789L);
      assertThat(log.getSpanContext().getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(log.getSpanContext().getSpanId()).isEqualTo("b7ad6b7169203331");
      assertThat(log.getSpanContext().isSampled()).isTrue();
    }
    assertThat(receiver.stats().accepted(Signal.LOGS)).isEqualTo(2);
  }

  @Test
  void traces_overGrpc_areForwardedAsSent() throws Exception {
    SpanExporter exporter = OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + receiver.grpcAddress().getPort()).build();
    try (SdkTracerProvider tracer = SdkTracerProvider.builder().setResource(SENDER).addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
      tracer.get("io.example.orders").spanBuilder("place order").startSpan().end();
      assertThat(tracer.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    assertThat(sink.traces()).hasSize(1);
    var request = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(sink.traces().get(0));
    assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName()).isEqualTo("place order");
    assertThat(receiver.stats().accepted(Signal.TRACES)).isEqualTo(1);
  }

  private static void sendMetrics(MetricExporter exporter) {
    PeriodicMetricReader reader = PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build();
    try (SdkMeterProvider sender = SdkMeterProvider.builder().setResource(SENDER).registerMetricReader(reader).build()) {
      var meter = sender.meterBuilder("io.example.orders").setInstrumentationVersion("2.0.0").build();
      meter.counterBuilder("orders.placed").setUnit("{order}").setDescription("Orders placed").build()
          .add(42, Attributes.of(AttributeKey.stringKey("region"), "eu", AttributeKey.booleanKey("express"), true));
      meter.gaugeBuilder("queue.depth").build().set(7.5, Attributes.of(AttributeKey.longKey("shard"), 3L));
      var latency = meter.histogramBuilder("checkout.duration").setUnit("s").setExplicitBucketBoundariesAdvice(List.of(0.1, 0.5, 1.0)).build();
      for (double v : new double[] {0.05, 0.2, 0.3, 0.7, 2.0}) latency.record(v);
      CompletableResultCode flushed = sender.forceFlush().join(10, TimeUnit.SECONDS);
      assertThat(flushed.isSuccess()).as("the SDK exporter reports success").isTrue();
    }
  }

  private void assertMetricsIntact() throws Exception {
    MetricData orders = sink.metric("orders.placed");
    assertThat(orders).isNotNull();
    assertThat(orders.getType()).isEqualTo(MetricDataType.LONG_SUM);
    assertThat(orders.getUnit()).isEqualTo("{order}");
    assertThat(orders.getDescription()).isEqualTo("Orders placed");
    assertThat(orders.getResource().getAttributes()).isEqualTo(SENDER.getAttributes());
    assertThat(orders.getInstrumentationScopeInfo().getName()).isEqualTo("io.example.orders");
    assertThat(orders.getInstrumentationScopeInfo().getVersion()).isEqualTo("2.0.0");
    LongPointData point = orders.getLongSumData().getPoints().iterator().next();
    assertThat(point.getValue()).isEqualTo(42);
    assertThat(point.getAttributes()).isEqualTo(Attributes.of(AttributeKey.stringKey("region"), "eu", AttributeKey.booleanKey("express"), true));
    assertThat(orders.getLongSumData().isMonotonic()).isTrue();

    assertThat(sink.metric("queue.depth").getDoubleGaugeData().getPoints().iterator().next().getValue()).isEqualTo(7.5);
    HistogramPointData h = sink.metric("checkout.duration").getHistogramData().getPoints().iterator().next();
    assertThat(h.getCount()).isEqualTo(5);
    assertThat(h.getSum()).isEqualTo(3.25);
    assertThat(h.getBoundaries()).containsExactly(0.1, 0.5, 1.0);
    assertThat(h.getCounts()).containsExactly(1L, 2L, 1L, 1L);
    assertThat(h.getMin()).isEqualTo(0.05);
    assertThat(h.getMax()).isEqualTo(2.0);
    // The SDK exports again when the sender closes: count what the sink got, not 3.
    long points = sink.metrics().stream().mapToLong(m -> m.getData().getPoints().size()).sum();
    assertThat(sink.metrics()).extracting(MetricData::getName).contains("orders.placed", "queue.depth", "checkout.duration");
    assertThat(receiver.stats().accepted(Signal.METRICS)).isEqualTo(points).isGreaterThanOrEqualTo(3);
    assertThat(receiver.stats().rejected(Signal.METRICS)).isZero();

    String scrape = scrape();
    assertThat(scrape)
        .contains("orders_placed_total{express=\"true\",region=\"eu\",otel_scope_name=\"io.example.orders\",otel_scope_version=\"2.0.0\"} 42")
        .contains("queue_depth{shard=\"3\",otel_scope_name=\"io.example.orders\",otel_scope_version=\"2.0.0\"} 7.5")
        .contains("checkout_duration_seconds_bucket{otel_scope_name=\"io.example.orders\",otel_scope_version=\"2.0.0\",le=\"0.5\"} 3")
        .contains("checkout_duration_seconds_count{otel_scope_name=\"io.example.orders\",otel_scope_version=\"2.0.0\"} 5")
        .contains("target_info{service_name=\"checkout\",service_version=\"1.4.2\"} 1");
  }

  private static void sendLogs(LogRecordExporter exporter) {
    try (SdkLoggerProvider logs = SdkLoggerProvider.builder().setResource(SENDER).addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build()) {
      SpanContext span =
          SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
      logs.get("io.example.orders")
          .logRecordBuilder()
          .setContext(Context.root().with(Span.wrap(span)))
          .setSeverity(Severity.WARN)
          .setSeverityText("WARN")
          .setBody("payment retried")
          .setTimestamp(1_700_000_000_123_456_789L, TimeUnit.NANOSECONDS)
          .setAttribute(AttributeKey.longKey("attempt"), 3L)
          .setAttribute(AttributeKey.stringArrayKey("tags"), List.of("card", "eu"))
          .emit();
      assertThat(logs.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
  }

  private String scrape() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> r =
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheus.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
