package io.gopherlens.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import io.gopherlens.testing.OtlpPeer;
import io.gopherlens.testing.Workload;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The whole agent (real probe in this kernel, real Go program) exporting over OTLP/gRPC to a real
 * peer: the GC cycles that arrive equal the program's own runtime.NumGC delta, and the cycles'
 * events arrive as log records. Needs root; fails (never skips) when the probe cannot load.
 */
class OtlpExportIntegrationTest {
  @Test
  void agent_goWorkload_gcCyclesViaOtlpEqualNumGcDelta() throws Exception {
    Path binary = GoToolchain.GO_1_24.build(GoToolchain.workload("spine"), Variant.STRIPPED);
    try (OtlpPeer peer = OtlpPeer.grpc(); Workload workload = Workload.start(binary, "30")) {
      JsonNode ready = workload.next();
      int pid = workload.pid();
      AgentConfig config =
          AgentConfig.resolve(
              List.of("--prometheus", "off", "--events", "off", "--metric-export-interval", "300"),
              Map.of(
                  "OTEL_EXPORTER_OTLP_ENDPOINT", peer.endpoint(),
                  "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
                  "OTEL_SERVICE_NAME", "gopherlens-it"));
      long numGcDelta;
      try (Agent agent = new Agent(config)) {
        agent.start();
        agent.awaitDiscovery();
        workload.proceed();
        JsonNode done = workload.next();
        numGcDelta = done.get("numgc").asLong() - ready.get("numgc").asLong();
        assertThat(numGcDelta).as("workload ran GCs").isGreaterThanOrEqualTo(30);

        long exported = -1;
        Map<String, String> processResource = Map.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (exported != numGcDelta && System.nanoTime() < deadline) {
          ExportMetricsServiceRequest r = peer.nextMetrics(20);
          for (ResourceMetrics rm : r.getResourceMetricsList()) {
            assertThat(OtlpPeer.attributes(rm.getResource().getAttributesList())).containsEntry("service.name", "gopherlens-it");
            OptionalLong c = cycles(rm, pid);
            if (c.isPresent()) {
              exported = c.getAsLong();
              processResource = OtlpPeer.attributes(rm.getResource().getAttributesList());
            }
          }
        }
        assertThat(exported).as("go.memory.gc.cycles of pid %d via OTLP vs runtime.NumGC delta", pid).isEqualTo(numGcDelta);
        assertThat(processResource)
            .as("the Go process's own resource")
            .containsEntry("process.pid", Integer.toString(pid))
            .containsEntry("process.executable.name", binary.getFileName().toString())
            .containsEntry("process.runtime.name", "go")
            .containsEntry("host.name", java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).trim());
        assertThat(processResource.get("process.runtime.version")).startsWith("go" + GoToolchain.GO_1_24.version + ".");
      }
      workload.proceed();
      assertThat(workload.awaitExit()).isZero();

      long cycleEvents = 0;
      Map<String, Long> received = new java.util.TreeMap<>();
      for (ExportLogsServiceRequest r : peer.logs) {
        for (var rl : r.getResourceLogsList()) {
          for (var sl : rl.getScopeLogsList()) {
            for (LogRecord l : sl.getLogRecordsList()) {
              received.merge(l.getEventName(), 1L, Long::sum);
              Map<String, String> a = OtlpPeer.attributes(l.getAttributesList());
              if (l.getEventName().equals("go.gc.cycle.start") && Integer.toString(pid).equals(a.get("process.pid"))) {
                cycleEvents++;
                assertThat(a).containsEntry("process.executable.name", binary.getFileName().toString());
                assertThat(a.get("trigger")).isIn("heap", "explicit");
                assertThat(l.getBody().getStringValue()).startsWith("go.gc.cycle.start process.pid=" + pid + " ");
              }
            }
          }
        }
      }
      // Cycle events share one host-wide rate limit (10/s, burst 50) with every other Go process
      // here, so only the metric above is exact; the events must arrive, none invented.
      assertThat(cycleEvents)
          .as("go.gc.cycle.start log records of pid %d (received by event: %s)", pid, received)
          .isBetween(1L, numGcDelta);
    }
  }

  /** Sum over triggers of the pid's GC cycle counter under one resource, if it is there. */
  private static OptionalLong cycles(ResourceMetrics rm, int pid) {
    long sum = 0;
    boolean found = false;
    for (var sm : rm.getScopeMetricsList()) {
      for (Metric m : sm.getMetricsList()) {
        if (!m.getName().equals("go.memory.gc.cycles")) continue;
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          if (Integer.toString(pid).equals(OtlpPeer.attributes(p.getAttributesList()).get("process.pid"))) {
            sum += p.getAsInt();
            found = true;
          }
        }
      }
    }
    return found ? OptionalLong.of(sum) : OptionalLong.empty();
  }
}
