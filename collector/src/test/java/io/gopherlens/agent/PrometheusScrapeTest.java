package io.gopherlens.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gopherlens.log.Log;
import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.PrometheusProcess;
import io.gopherlens.testing.Workload;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus 2.53 scrapes the agent (real probe, real Go program) and answers PromQL with
 * the program's own GC count and the bytes its TCP connection carried. Needs root; fails (never
 * skips) when the probe cannot load.
 */
class PrometheusScrapeTest {
  @TempDir Path dir;

  @Test
  void prometheus_scrapesAgent_gcCyclesAndTcpBytesMatchTheGoProgram() throws Exception {
    Path binary = GoToolchain.GO_1_24.build(GoToolchain.workload("spine"), GoToolchain.Variant.STRIPPED);
    int port = freePort();
    BlockingQueue<String> logs = new LinkedBlockingQueue<>();
    Log.setOutput(new PrintStream(new LineTee(logs), true, StandardCharsets.UTF_8));
    try (Workload workload = Workload.start(binary, "12");
        Agent agent =
            new Agent(AgentConfig.resolve(
                List.of("--prometheus", "127.0.0.1:" + port, "--events", "off", "--flow-interval", "1s"), Map.of()));
        PrometheusProcess prometheus = PrometheusProcess.start(dir, "127.0.0.1:" + port, Duration.ofMillis(500))) {
      JsonNode ready = workload.next();
      agent.start();
      awaitLog(logs, "watching Go process", "\"pid\":" + workload.pid());
      workload.proceed();
      JsonNode done = workload.next();
      long gcs = done.get("numgc").asLong() - ready.get("numgc").asLong();
      int tcpPort = done.get("tcp_port").asInt();
      String pid = "process_pid=\"" + workload.pid() + "\"";

      JsonNode up = prometheus.awaitQuery("up{job=\"gopherlens\"}", r -> PrometheusProcess.value(r) == 1, Duration.ofSeconds(15));
      assertThat(PrometheusProcess.value(up)).as("Prometheus scrapes the agent").isEqualTo(1);

      String cycles = "sum(go_memory_gc_cycles_total{" + pid + "})";
      JsonNode gc = prometheus.awaitQuery(cycles, r -> PrometheusProcess.value(r) == gcs, Duration.ofSeconds(15));
      assertThat(gcs).as("the workload ran GCs").isGreaterThanOrEqualTo(12);
      assertThat(PrometheusProcess.value(gc)).as(cycles + " against runtime.NumGC").isEqualTo(gcs);
      JsonNode byTrigger = prometheus.query("go_memory_gc_cycles_total{" + pid + "}");
      assertThat(byTrigger.get(0).get("metric").get("process_executable_name").asText()).isEqualTo(binary.getFileName().toString());
      assertThat(byTrigger.get(0).get("metric").get("job").asText()).isEqualTo("gopherlens");

      String sent = "sum(gopherlens_tcp_bytes_total{" + pid + ",network_peer_port=\"" + tcpPort + "\",network_io_direction=\"transmit\"})";
      String received = "sum(gopherlens_tcp_bytes_total{" + pid + ",network_local_port=\"" + tcpPort + "\",network_io_direction=\"receive\"})";
      assertThat(PrometheusProcess.value(prometheus.awaitQuery(sent, r -> PrometheusProcess.value(r) == 5, Duration.ofSeconds(15))))
          .as("the client wrote \"hello\"").isEqualTo(5);
      assertThat(PrometheusProcess.value(prometheus.awaitQuery(received, r -> PrometheusProcess.value(r) == 5, Duration.ofSeconds(15))))
          .as("the server read \"hello\"").isEqualTo(5);
      JsonNode connect = prometheus.awaitQuery(
          "gopherlens_tcp_connect_duration_seconds_count{" + pid + ",network_peer_port=\"" + tcpPort + "\"}",
          r -> PrometheusProcess.value(r) == 1, Duration.ofSeconds(15));
      assertThat(PrometheusProcess.value(connect)).as("one connect, as a histogram Prometheus stores").isEqualTo(1);
      workload.proceed();
    } finally {
      Log.setOutput(System.err);
    }
  }

  private static void awaitLog(BlockingQueue<String> logs, String... parts) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      String line = logs.poll(200, TimeUnit.MILLISECONDS);
      if (line != null && java.util.Arrays.stream(parts).allMatch(line::contains)) {
        return;
      }
    }
    throw new AssertionError("no agent log line with " + String.join(", ", parts) + " within 20 s");
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Agent log lines to stderr (for the report) and to a queue (for the test). */
  private static final class LineTee extends OutputStream {
    private final BlockingQueue<String> lines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineTee(BlockingQueue<String> lines) {
      this.lines = lines;
    }

    @Override
    public synchronized void write(int b) {
      System.err.write(b);
      if (b == '\n') {
        lines.add(line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }
  }
}
