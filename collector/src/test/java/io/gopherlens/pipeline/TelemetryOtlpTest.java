package io.gopherlens.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.agent.AgentConfig;
import io.gopherlens.goruntime.GcMetrics;
import io.gopherlens.log.EventLog;
import io.gopherlens.probe.GcTrigger;
import io.gopherlens.testing.OtlpPeer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's pipeline exports to a real OTLP peer on loopback, over gRPC and HTTP/protobuf,
 * with and without gzip; the peer decodes with the official protobuf messages.
 */
class TelemetryOtlpTest {
  static Stream<Arguments> transports() {
    return Stream.of(
        Arguments.of("grpc", "none"),
        Arguments.of("grpc", "gzip"),
        Arguments.of("http/protobuf", "none"),
        Arguments.of("http/protobuf", "gzip"));
  }

  @ParameterizedTest(name = "{0} compression={1}")
  @MethodSource("transports")
  void export_metricsAndEvents_arriveWithNamesUnitsValuesAndResource(String protocol, String compression) throws Exception {
    try (OtlpPeer peer = protocol.equals("grpc") ? OtlpPeer.grpc() : OtlpPeer.http()) {
      AgentConfig config =
          AgentConfig.resolve(
              List.of("--metric-export-interval", "200"),
              Map.of(
                  "OTEL_EXPORTER_OTLP_ENDPOINT", peer.endpoint(),
                  "OTEL_EXPORTER_OTLP_PROTOCOL", protocol,
                  "OTEL_EXPORTER_OTLP_COMPRESSION", compression,
                  "OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=team%20a,authorization=Bearer abc",
                  "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test,k8s.node.name=node-1",
                  "OTEL_SERVICE_NAME", "gl-test"));
      try (Telemetry telemetry = Telemetry.create(config, List.of(), ProcessResources.NONE)) {
        GcMetrics gc = new GcMetrics(telemetry.meters().get("io.gopherlens.goruntime"));
        for (int i = 0; i < 3; i++) gc.cycleStarted(4242, "cache-server", GcTrigger.HEAP);
        gc.cycleStarted(4242, "cache-server", GcTrigger.CYCLE);
        new EventLog(null, telemetry.eventLogger())
            .emit("go.gc.pause", "process.pid", 4242, "process.executable.name", "cache-server", "phase", "mark_termination",
                "duration_us", 6_100L, "unknown", null);

        Metric cycles = awaitMetric(peer, "go.memory.gc.cycles");
        assertThat(cycles.getUnit()).isEqualTo("{gc_cycle}");
        assertThat(cycles.getSum().getIsMonotonic()).isTrue();
        Map<String, Long> byTrigger = new HashMap<>();
        for (NumberDataPoint p : cycles.getSum().getDataPointsList()) {
          assertThat(OtlpPeer.attributes(p.getAttributesList())).containsEntry("process.pid", "4242")
              .containsEntry("process.executable.name", "cache-server");
          byTrigger.put(OtlpPeer.attributes(p.getAttributesList()).get("gopherlens.go.gc.trigger"), p.getAsInt());
        }
        assertThat(byTrigger).containsEntry("heap", 3L).containsEntry("explicit", 1L);
        assertThat(peer.lastHeaders).containsEntry("x-tenant", "team a").containsEntry("authorization", "Bearer abc");

        ExportLogsServiceRequest logs = peer.nextLogs(10);
        assertResource(logs.getResourceLogs(0).getResource());
        LogRecord record = logs.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
        assertThat(logs.getResourceLogs(0).getScopeLogs(0).getScope().getName()).isEqualTo("io.gopherlens.events");
        assertThat(record.getEventName()).isEqualTo("go.gc.pause");
        assertThat(record.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO);
        assertThat(record.getBody().getStringValue())
            .isEqualTo("go.gc.pause process.pid=4242 process.executable.name=cache-server phase=mark_termination duration_us=6100");
        Map<String, AnyValue> attrs = new HashMap<>();
        record.getAttributesList().forEach(kv -> attrs.put(kv.getKey(), kv.getValue()));
        assertThat(attrs.get("process.pid").getIntValue()).isEqualTo(4242);
        assertThat(attrs.get("duration_us").getIntValue()).isEqualTo(6100);
        assertThat(attrs.get("phase").getStringValue()).isEqualTo("mark_termination");
        assertThat(attrs).doesNotContainKey("unknown");
        assertThat(record.getTimeUnixNano()).isPositive();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"grpc", "http/protobuf"})
  void export_manyEvents_arriveWholeInLargeRequests(String protocol) throws Exception {
    try (OtlpPeer peer = protocol.equals("grpc") ? OtlpPeer.grpc() : OtlpPeer.http()) {
      AgentConfig config =
          AgentConfig.resolve(
              List.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", peer.endpoint(), "OTEL_EXPORTER_OTLP_PROTOCOL", protocol));
      int emitted = 5_000; // about 1 MB of records: several requests above HTTP/2's 64 KiB window
      try (Telemetry telemetry = Telemetry.create(config, List.of(), ProcessResources.NONE)) {
        EventLog events = new EventLog(null, telemetry.eventLogger());
        for (int i = 0; i < emitted; i++) {
          events.emit("tcp.state", "process.pid", i, "comm", "curl", "local", "127.0.0.1:" + (10_000 + i % 50_000),
              "peer", "127.0.0.1:8080", "old", "SYN_SENT", "new", "ESTABLISHED");
        }
      }
      long received = 0;
      for (ExportLogsServiceRequest r : peer.logs) {
        received += r.getResourceLogs(0).getScopeLogs(0).getLogRecordsCount();
      }
      assertThat(received).as("records the peer decoded after close flushed the queue").isEqualTo(emitted);
    }
  }

  /** Waits for a request that carries the metric; checks the resource of every request on the way. */
  static Metric awaitMetric(OtlpPeer peer, String name) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      ExportMetricsServiceRequest r = peer.nextMetrics(15);
      assertResource(r.getResourceMetrics(0).getResource());
      Optional<Metric> m = find(r, name);
      if (m.isPresent()) return m.get();
    }
    throw new AssertionError("no OTLP request carried " + name);
  }

  static Optional<Metric> find(ExportMetricsServiceRequest r, String name) {
    return r.getResourceMetricsList().stream()
        .flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream())
        .filter(m -> m.getName().equals(name))
        .findFirst();
  }

  private static void assertResource(Resource resource) {
    Map<String, String> r = OtlpPeer.attributes(resource.getAttributesList());
    assertThat(r)
        .containsEntry("service.name", "gl-test")
        .containsEntry("deployment.environment.name", "test")
        .containsEntry("k8s.node.name", "node-1")
        .containsEntry("host.name", AgentResource.hostName())
        .containsEntry("telemetry.sdk.language", "java")
        .containsKey("service.version");
  }
}
