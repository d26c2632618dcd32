package io.gopherlens.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.gopherlens.agent.AgentConfig;
import io.gopherlens.log.EventLog;
import io.gopherlens.log.Log;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the pipeline does when the destination is down or stalls: never throws, counts, logs once. */
class TelemetryFailureTest {
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  @AfterEach
  void restoreLog() {
    Log.setOutput(System.err);
  }

  @Test
  void export_connectionRefused_isCountedAndLoggedOncePerInterval() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Log.setOutput(new PrintStream(logged, true, StandardCharsets.UTF_8));
    AgentConfig config =
        AgentConfig.resolve(
            List.of("--metric-export-interval", "100", "--otlp-timeout", "1000"),
            Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + port));
    try (Telemetry telemetry = Telemetry.create(config, List.of(), ProcessResources.NONE)) {
      telemetry.meters().get("test").counterBuilder("test.requests").build().add(5);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (telemetry.failures().failures("otlp_metrics") < 3 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(telemetry.failures().failures("otlp_metrics")).isGreaterThanOrEqualTo(3);
      assertThat(counter(telemetry, "gopherlens.export.failures", "exporter", "otlp_metrics")).isGreaterThanOrEqualTo(3);
      assertThat(counter(telemetry, "gopherlens.export.failures", "exporter", "otlp_logs")).isZero();
    }
    List<String> lines = logged.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("export to")).toList();
    assertThat(lines).as("one line per minute, not one per failure").hasSize(1);
    assertThat(lines.get(0))
        .contains("export to OTLP/http/protobuf http://127.0.0.1:" + port + "/v1/metrics failed: ")
        .contains("refused")
        .contains("the next one is tried as usual")
        .contains("--otlp-endpoint");
  }

  @Test
  void events_destinationStalls_queueIsBoundedAndDropsAreCounted() throws Exception {
    try (ServerSocket blackHole = new ServerSocket(0)) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) accepted.add(blackHole.accept()); // read nothing, answer nothing
                } catch (Exception closed) {
                  // test over
                }
              });
      acceptor.start();
      AgentConfig config =
          AgentConfig.resolve(
              List.of("--metrics-exporter", "none"), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + blackHole.getLocalPort()));
      int emitted = 20_000;
      try (Telemetry telemetry = Telemetry.create(config, List.of(), ProcessResources.NONE)) {
        EventLog events = new EventLog(null, telemetry.eventLogger());
        for (int i = 0; i < emitted; i++) {
          events.emit("tcp.state", "process.pid", i);
        }
        long dropped = counter(telemetry, "otel.sdk.processor.log.processed", "error.type", "queue_full");
        assertThat(dropped)
            .as("at most the queue (%d) and a batch in flight are kept", Telemetry.LOG_QUEUE_SIZE)
            .isBetween((long) emitted - Telemetry.LOG_QUEUE_SIZE - 2 * 512, (long) emitted - Telemetry.LOG_QUEUE_SIZE);
        for (Socket s : accepted) s.close(); // the rest then fails fast instead of timing out at close
        blackHole.close();
      }
    }
  }

  /** The value of a counter's point with the given attribute, as the Prometheus endpoint would serve it. */
  static long counter(Telemetry telemetry, String name, String key, String value) {
    long sum = 0;
    for (MetricData m : telemetry.prometheusReader().collectAllMetrics()) {
      if (!m.getName().equals(name)) continue;
      for (LongPointData p : m.getLongSumData().getPoints()) {
        if (value.equals(p.getAttributes().get(AttributeKey.stringKey(key)))) sum += p.getValue();
      }
    }
    return sum;
  }
}
