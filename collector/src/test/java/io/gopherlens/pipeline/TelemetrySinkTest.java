package io.gopherlens.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.agent.AgentConfig;
import io.gopherlens.testing.OtlpPeer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import com.google.protobuf.ByteString;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the OTLP receiver hands the pipeline reaches the Prometheus endpoint and a real OTLP peer. */
class TelemetrySinkTest {
  static final Resource SENDER = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout"));
  static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("checkout.http");

  static MetricData requests(long value, String route, AggregationTemporality temporality) {
    return ImmutableMetricData.createLongSum(
        SENDER, SCOPE, "http.server.requests", "Requests served", "{request}",
        ImmutableSumData.create(true, temporality,
            List.of(ImmutableLongPointData.create(1, 2, Attributes.of(AttributeKey.stringKey("http.route"), route), value))));
  }

  @Test
  void acceptMetricsAndLogs_reachPrometheusAndOtlpWithTheSendersResource() throws Exception {
    try (OtlpPeer peer = OtlpPeer.http()) {
      AgentConfig config =
          AgentConfig.resolve(List.of("--metric-export-interval", "200"), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", peer.endpoint()));
      try (Telemetry telemetry = Telemetry.create(config, List.of(), ProcessResources.NONE)) {
        TelemetrySink sink = telemetry.sink();
        sink.acceptMetrics(List.of(requests(7, "/cart", AggregationTemporality.CUMULATIVE)));
        sink.acceptMetrics(List.of(requests(9, "/cart", AggregationTemporality.CUMULATIVE), requests(2, "/pay", AggregationTemporality.CUMULATIVE)));
        LogRecordData log =
            TestLogRecordData.builder()
                .setResource(SENDER)
                .setInstrumentationScopeInfo(SCOPE)
                .setTimestamp(1_700_000_000L, java.util.concurrent.TimeUnit.SECONDS)
                .setSeverity(Severity.ERROR)
                .setBody("payment declined")
                .build();
        sink.acceptLogs(List.of(log));

        MetricData served =
            telemetry.prometheusReader().collectAllMetrics().stream()
                .filter(m -> m.getName().equals("http.server.requests"))
                .findFirst()
                .orElseThrow();
        assertThat(served.getResource()).isEqualTo(SENDER);
        assertThat(served.getLongSumData().getPoints())
            .extracting(p -> p.getAttributes().get(AttributeKey.stringKey("http.route")) + "=" + p.getValue())
            .containsExactlyInAnyOrder("/cart=9", "/pay=2");

        // An export may have run between the two requests: wait for one after the second.
        ResourceMetrics fromSender = awaitResource(peer, "checkout");
        while (fromSender.getScopeMetrics(0).getMetrics(0).getSum().getDataPointsCount() < 2) {
          fromSender = awaitResource(peer, "checkout");
        }
        var metric = fromSender.getScopeMetrics(0).getMetrics(0);
        assertThat(fromSender.getScopeMetrics(0).getScope().getName()).isEqualTo("checkout.http");
        assertThat(metric.getName()).isEqualTo("http.server.requests");
        assertThat(metric.getSum().getDataPointsList()).extracting(p -> p.getAsInt()).containsExactlyInAnyOrder(9L, 2L);

        ExportLogsServiceRequest logs = peer.nextLogs(10);
        assertThat(OtlpPeer.attributes(logs.getResourceLogs(0).getResource().getAttributesList()))
            .containsEntry("service.name", "checkout");
        assertThat(logs.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getBody().getStringValue()).isEqualTo("payment declined");
      }
    }
  }

  @Test
  void acceptMetrics_delta_goesStraightToPushExportersNotToPrometheus() throws Exception {
    try (OtlpPeer peer = OtlpPeer.grpc()) {
      AgentConfig config =
          AgentConfig.resolve(
              List.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", peer.endpoint(), "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));
      try (Telemetry telemetry = Telemetry.create(config, List.of(), ProcessResources.NONE)) {
        telemetry.sink().acceptMetrics(List.of(requests(4, "/cart", AggregationTemporality.DELTA)));
        var metric = awaitResource(peer, "checkout").getScopeMetrics(0).getMetrics(0);
        assertThat(metric.getSum().getAggregationTemporality())
            .isEqualTo(io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        assertThat(metric.getSum().getDataPoints(0).getAsInt()).isEqualTo(4);
        assertThat(telemetry.prometheusReader().collectAllMetrics())
            .as("Prometheus cannot serve deltas: not kept")
            .noneMatch(m -> m.getName().equals("http.server.requests"));
      }
    }
  }

  @ParameterizedTest(name = "{0} compression={1}")
  @CsvSource({"grpc,none", "grpc,gzip", "http/protobuf,none", "http/protobuf,gzip"})
  void acceptTraces_forwardsTheRequestBytesUnchanged(String protocol, String compression) throws Exception {
    try (OtlpPeer peer = protocol.equals("grpc") ? OtlpPeer.grpc() : OtlpPeer.http()) {
      AgentConfig config =
          AgentConfig.resolve(
              List.of(),
              Map.of(
                  "OTEL_EXPORTER_OTLP_ENDPOINT", peer.endpoint(),
                  "OTEL_EXPORTER_OTLP_PROTOCOL", protocol,
                  "OTEL_EXPORTER_OTLP_COMPRESSION", compression,
                  "OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=a"));
      ExportTraceServiceRequest request =
          ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(
                  ResourceSpans.newBuilder()
                      .addScopeSpans(
                          ScopeSpans.newBuilder()
                              .addSpans(
                                  Span.newBuilder()
                                      .setName("GET /cart")
                                      .setTraceId(ByteString.copyFrom(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9}))
                                      .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                                      .setStartTimeUnixNano(1)
                                      .setEndTimeUnixNano(2))))
              .build();
      try (Telemetry telemetry = Telemetry.create(config, List.of(), ProcessResources.NONE)) {
        assertThat(telemetry.sink().acceptTraces(request.toByteArray())).isTrue();
        ExportTraceServiceRequest got = peer.traces.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(got).as("trace request at the peer").isEqualTo(request);
        assertThat(peer.lastHeaders).containsEntry("x-tenant", "a");
        assertThat(telemetry.failures().failures("otlp_traces")).isZero();
      }
    }
  }

  @Test
  void acceptTraces_tracesExporterNone_refuses() {
    AgentConfig config =
        AgentConfig.resolve(
            List.of("--traces-exporter", "none", "--metrics-exporter", "none", "--logs-exporter", "none"),
            Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"));
    try (Telemetry telemetry = Telemetry.create(config, List.of(), ProcessResources.NONE)) {
      assertThat(telemetry.sink().acceptTraces(new byte[0])).isFalse();
    }
  }

  @Test
  void acceptLogs_withoutLogExporter_isCountedAsDropped() {
    try (Telemetry telemetry = Telemetry.create(AgentConfig.defaults(), List.of(), ProcessResources.NONE)) {
      telemetry.sink().acceptLogs(List.of(TestLogRecordData.builder().setBody("x").build(), TestLogRecordData.builder().setBody("y").build()));
      assertThat(TelemetryFailureTest.counter(telemetry, "gopherlens.received.dropped", "reason", "no_destination")).isEqualTo(2);
    }
  }

  @Test
  void receivedMetrics_boundedInPointsAndForgottenWhenStale() {
    AtomicLong now = new AtomicLong();
    ReceivedMetrics latest = new ReceivedMetrics(2, now::get);
    assertThat(latest.put(requests(1, "/a", AggregationTemporality.CUMULATIVE))).isZero();
    assertThat(latest.put(requests(1, "/b", AggregationTemporality.CUMULATIVE))).isZero();
    assertThat(latest.put(requests(1, "/c", AggregationTemporality.CUMULATIVE))).as("third stream over the bound").isEqualTo(1);
    assertThat(latest.put(requests(5, "/a", AggregationTemporality.CUMULATIVE))).as("known stream updates").isZero();
    assertThat(latest.dropped()).isEqualTo(1);
    assertThat(latest.produce(Resource.empty()).iterator().next().getLongSumData().getPoints()).hasSize(2);

    now.addAndGet(ReceivedMetrics.STALE_AFTER.toNanos() + 1);
    assertThat(latest.produce(Resource.empty())).isEmpty();
    assertThat(latest.put(requests(1, "/c", AggregationTemporality.CUMULATIVE))).as("room again").isZero();
  }

  @Test
  void holdsLatest_onlyCumulativeAndGauges() {
    assertThat(ReceivedMetrics.holdsLatest(requests(1, "/a", AggregationTemporality.CUMULATIVE))).isTrue();
    assertThat(ReceivedMetrics.holdsLatest(requests(1, "/a", AggregationTemporality.DELTA))).isFalse();
  }

  private static ResourceMetrics awaitResource(OtlpPeer peer, String serviceName) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      ExportMetricsServiceRequest r = peer.nextMetrics(15);
      for (ResourceMetrics rm : r.getResourceMetricsList()) {
        if (serviceName.equals(OtlpPeer.attributes(rm.getResource().getAttributesList()).get("service.name"))) {
          return rm;
        }
      }
    }
    throw new AssertionError("no OTLP request carried resource service.name=" + serviceName);
  }
}
