package io.gopherlens.export.loki;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loki down for 30 s while events keep coming, the agent restarted once in the middle (a new
 * exporter on the same spool), then Loki back: every event arrives exactly once, each stream in
 * order. And an agent killed with SIGKILL while Loki is down loses nothing of its spool.
 */
class LokiOutageTest {
  private static final AttributeKey<Long> SEQ = AttributeKey.longKey("seq");
  private static final String[] EVENTS = {"go.gc.pause", "tcp.connect.failed", "go.map.retention"};
  @TempDir Path spool;

  @Test
  void outageWithRestart_spooledEntriesArriveExactlyOnceInOrderPerStream() throws Exception {
    int port = LokiExporterTest.closedPort();
    String url = "http://127.0.0.1:" + port + "/loki/api/v1/push";
    Map<String, List<Long>> sent = new LinkedHashMap<>();
    long seq = 0;
    long t0 = System.currentTimeMillis() * 1_000_000L;

    LokiExporter first = exporter(url);
    long start = System.nanoTime();
    while (elapsed(start).compareTo(Duration.ofSeconds(15)) < 0) {
      seq = emit(first, sent, seq, t0);
    }
    assertThat(first.queued()).as("nothing can be sent during the outage").isEqualTo((int) seq);
    assertThat(first.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    LokiExporter second = exporter(url);
    assertThat(second.queued()).as("the restarted exporter finds the spooled entries").isEqualTo((int) seq);
    while (elapsed(start).compareTo(Duration.ofSeconds(30)) < 0) {
      seq = emit(second, sent, seq, t0);
    }

    try (LokiReceiver loki = LokiReceiver.start(port)) {
      for (int i = 0; i < 10; i++) {
        seq = emit(second, sent, seq, t0);
      }
      assertThat(second.flush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

      Map<String, List<Long>> received = new LinkedHashMap<>();
      for (LokiReceiver.Entry e : loki.entries()) {
        received.computeIfAbsent(e.labels().get("event_name"), k -> new ArrayList<>()).add(Long.parseLong(e.metadata().get("seq")));
      }
      assertThat(loki.entries()).hasSize((int) seq);
      for (String event : EVENTS) {
        assertThat(received.get(event)).as("stream " + event + ": each event once, in order").isEqualTo(sent.get(event));
      }
      assertThat(second.drops().get(LokiExporter.SPOOL_FULL) + first.drops().get(LokiExporter.SPOOL_FULL)).isZero();
      assertThat(second.drops().get(LokiExporter.SPOOL_CORRUPT)).isZero();
      assertThat(second.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
  }

  @Test
  void agentKilledWhileLokiDown_nextStartSendsEverySpooledEntryOnceInOrder() throws Exception {
    int port = LokiExporterTest.closedPort();
    String url = "http://127.0.0.1:" + port + "/loki/api/v1/push";
    int count = 2_000;
    Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), SpoolingChild.class.getName(), url, spool.toString(), Integer.toString(count))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
      assertThat(out.readLine()).isEqualTo("queued " + count);
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown, no close, no final fsync
      child.waitFor(10, TimeUnit.SECONDS);
    }

    try (LokiReceiver loki = LokiReceiver.start(port)) {
      LokiExporter restarted = exporter(url);
      assertThat(restarted.queued()).isEqualTo(count);
      assertThat(restarted.flush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
      List<Long> seqs = loki.entries().stream().map(e -> Long.parseLong(e.metadata().get("seq"))).toList();
      assertThat(seqs.stream().filter(s -> s % 2 == 0).toList())
          .isEqualTo(java.util.stream.LongStream.range(0, count).filter(s -> s % 2 == 0).boxed().toList());
      assertThat(seqs.stream().filter(s -> s % 2 == 1).toList())
          .isEqualTo(java.util.stream.LongStream.range(0, count).filter(s -> s % 2 == 1).boxed().toList());
      assertThat(restarted.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
  }

  private LokiExporter exporter(String url) {
    return LokiExporter.builder()
        .setEndpoint(url)
        .setSpool(spool, 16 << 20)
        .setTimeout(Duration.ofSeconds(1))
        .setBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .setMaxBatchEntries(100)
        .setMaxBatchDelay(Duration.ofMillis(200))
        .build();
  }

  /** One event of each stream, then a 50 ms pause: 60 events a second. */
  private static long emit(LokiExporter exporter, Map<String, List<Long>> sent, long seq, long t0) throws InterruptedException {
    List<LogRecordData> batch = new ArrayList<>();
    for (String event : EVENTS) {
      batch.add(LokiExporterTest.record(event, t0 + seq * 1000, Attributes.of(SEQ, seq)));
      sent.computeIfAbsent(event, k -> new ArrayList<>()).add(seq);
      seq++;
    }
    assertThat(exporter.export(batch).isSuccess()).isTrue();
    Thread.sleep(50);
    return seq;
  }

  private static Duration elapsed(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
