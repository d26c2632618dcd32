package io.gopherlens.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gopherlens.agent.AgentConfig;
import io.gopherlens.goruntime.GcMetrics;
import io.gopherlens.log.EventLog;
import io.gopherlens.probe.GcTrigger;
import io.gopherlens.testing.PrometheusProcess;
import io.gopherlens.testing.ScriptedHttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote-write and Loki settings build part B's exporters into the pipeline, checked at real peers. */
class TelemetryPushTest {
  @TempDir Path dir;

  @Test
  void remoteWrite_url_pushesTheAgentsMetricsToARealPrometheus() throws Exception {
    try (PrometheusProcess prometheus = PrometheusProcess.start(dir, null, Duration.ofSeconds(1))) {
      AgentConfig config =
          AgentConfig.resolve(List.of("--remote-write-url", prometheus.remoteWriteUrl(), "--remote-write-interval", "200ms"), Map.of());
      try (Telemetry telemetry = Telemetry.create(config, List.of(), ProcessResources.NONE)) {
        GcMetrics gc = new GcMetrics(telemetry.meters().get("io.gopherlens.goruntime"));
        for (int i = 0; i < 3; i++) gc.cycleStarted(4242, "cache-server", GcTrigger.HEAP);
        String query = "go_memory_gc_cycles_total{process_pid=\"4242\",gopherlens_go_gc_trigger=\"heap\"}";
        JsonNode result = prometheus.awaitQuery(query, r -> PrometheusProcess.value(r) == 3, Duration.ofSeconds(20));
        assertThat(PrometheusProcess.value(result)).as(query).isEqualTo(3);
        assertThat(result.get(0).path("metric").path("process_executable_name").asText()).isEqualTo("cache-server");
        assertThat(telemetry.failures().failures("prometheus_remote_write")).isZero();
      }
    }
  }

  @Test
  void loki_url_pushesEventsWithTenantAndFormat() throws Exception {
    try (ScriptedHttpServer loki = ScriptedHttpServer.start(204)) {
      AgentConfig config =
          AgentConfig.resolve(
              List.of("--loki-url", loki.url("/loki/api/v1/push"), "--loki-format", "json", "--loki-tenant", "team-a"), Map.of());
      assertThat(Telemetry.exportsLogs(config)).isTrue();
      try (Telemetry telemetry = Telemetry.create(config, List.of(), ProcessResources.NONE)) {
        new EventLog(null, telemetry.eventLogger()).emit("go.gc.pause", "process.pid", 4242, "duration_us", 6100L);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (loki.requests().isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
      }
      assertThat(loki.requests()).isNotEmpty();
      ScriptedHttpServer.Request push = loki.requests().get(0);
      assertThat(push.path()).isEqualTo("/loki/api/v1/push");
      assertThat(push.header("X-Scope-OrgID")).isEqualTo("team-a");
      JsonNode stream = new ObjectMapper().readTree(push.body()).path("streams").get(0);
      assertThat(stream.path("stream").path("event_name").asText()).isEqualTo("go.gc.pause");
      assertThat(stream.path("stream").path("service_name").asText()).isEqualTo("gopherlens");
      assertThat(stream.path("values").get(0).get(1).asText()).isEqualTo("go.gc.pause process.pid=4242 duration_us=6100");
    }
  }
}
