package io.gopherlens.export.loki;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Loki exporter against a receiver that decodes the push protocol as Loki does. */
class LokiExporterTest {
  static final Resource RESOURCE =
      Resource.create(Attributes.builder().put("service.name", "gopherlens").put("host.name", "node-a").build());
  static final long T0 = 1_764_000_000_123_456_789L;

  private final List<AutoCloseable> closeAfter = new ArrayList<>();
  @TempDir Path spoolDir;

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeAfter) {
      c.close();
    }
  }

  @ParameterizedTest
  @EnumSource(LokiFormat.class)
  void export_gcPauseAndFailedConnect_receiverGetsStreamLabelsLineAndStructuredMetadata(LokiFormat format) throws Exception {
    LokiReceiver loki = receiver();
    LokiExporter exporter = exporter(LokiExporter.builder().setEndpoint(loki.pushUrl()).setFormat(format).setTenant("team-a"));
    Logger logger = logger(exporter);

    logger.logRecordBuilder()
        .setEventName("go.gc.pause")
        .setTimestamp(T0, TimeUnit.NANOSECONDS)
        .setSeverity(Severity.INFO)
        .setSeverityText("INFO")
        .setBody("GC pause 1.2ms \"mark termination\"")
        .setAllAttributes(Attributes.builder()
            .put("process.pid", 4242L)
            .put("go.gc.pause.duration", 0.0012)
            .put("k8s.namespace.name", "shop")
            .put("k8s.pod.name", "cart-7f9")
            .build())
        .emit();
    logger.logRecordBuilder()
        .setEventName("tcp.connect.failed")
        .setTimestamp(T0 + 1, TimeUnit.NANOSECONDS)
        .setAllAttributes(Attributes.builder()
            .put("network.peer.address", "10.0.0.7")
            .put("network.peer.port", 5432L)
            .put("error.type", "refused")
            .build())
        .emit();
    assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    List<LokiReceiver.Entry> got = loki.entries();
    assertThat(got).hasSize(2);
    LokiReceiver.Entry pause = got.stream().filter(e -> e.labels().get("event_name").equals("go.gc.pause")).findFirst().orElseThrow();
    assertThat(pause.labels()).isEqualTo(Map.of(
        "event_name", "go.gc.pause", "host", "node-a", "k8s_namespace_name", "shop",
        "k8s_pod_name", "cart-7f9", "service_name", "gopherlens"));
    assertThat(pause.timestampNanos()).isEqualTo(T0);
    assertThat(pause.line()).isEqualTo("GC pause 1.2ms \"mark termination\"");
    assertThat(pause.metadata()).containsOnly(
        Map.entry("process_pid", "4242"), Map.entry("go_gc_pause_duration", "0.0012"), Map.entry("severity_text", "INFO"));

    LokiReceiver.Entry failed = got.stream().filter(e -> e.labels().get("event_name").equals("tcp.connect.failed")).findFirst().orElseThrow();
    assertThat(failed.labels()).isEqualTo(Map.of("event_name", "tcp.connect.failed", "host", "node-a", "service_name", "gopherlens"));
    assertThat(failed.timestampNanos()).isEqualTo(T0 + 1);
    assertThat(failed.metadata()).containsOnly(
        Map.entry("network_peer_address", "10.0.0.7"), Map.entry("network_peer_port", "5432"), Map.entry("error_type", "refused"));
    assertThat(failed.line())
        .as("no body: the metadata as logfmt")
        .isEqualTo("event=tcp.connect.failed error_type=refused network_peer_address=10.0.0.7 network_peer_port=5432");
    assertThat(loki.requests().get(0).header("X-Scope-OrgID")).isEqualTo("team-a");
    assertThat(loki.requests().get(0).header("Content-Type"))
        .isEqualTo(format == LokiFormat.JSON ? "application/json" : "application/x-protobuf");
  }

  @ParameterizedTest
  @EnumSource(LokiFormat.class)
  void export_quotesNewlinesAndNonAscii_roundTripThroughLokisParsers(LokiFormat format) throws Exception {
    LokiReceiver loki = receiver();
    LokiExporter exporter = exporter(LokiExporter.builder().setEndpoint(loki.pushUrl()).setFormat(format));
    exporter.export(List.of(record("go.map.retention", T0, Attributes.of(
        AttributeKey.stringKey("k8s.pod.name"), "we\"ird\\pod\nname\u0001 ü",
        AttributeKey.stringKey("go.map.site"), "cache.go:42 ünïcode ✓ 🐹"))));
    assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    LokiReceiver.Entry e = loki.entries().get(0);
    assertThat(e.labels().get("k8s_pod_name")).isEqualTo("we\"ird\\pod\nname\u0001 ü");
    assertThat(e.metadata().get("go_map_site")).isEqualTo("cache.go:42 ünïcode ✓ 🐹");
    assertThat(e.line()).isEqualTo("event=go.map.retention go_map_site=\"cache.go:42 ünïcode ✓ 🐹\"");
  }

  @Test
  void export_moreThanBatchSize_sendsFullBatchesAtOnceAndTheRestWhenOldEnough() throws Exception {
    LokiReceiver loki = receiver();
    LokiExporter exporter = exporter(LokiExporter.builder().setEndpoint(loki.pushUrl())
        .setMaxBatchEntries(10).setMaxBatchDelay(Duration.ofMillis(700)));
    List<LogRecordData> records = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      records.add(record("go.gc.pause", T0 + i, Attributes.empty()));
    }
    long start = System.nanoTime();
    exporter.export(records);

    await(() -> loki.entries().size() >= 20, Duration.ofSeconds(5));
    assertThat(loki.entries()).as("full batches leave at once; the rest waits for its age").hasSize(20);
    await(() -> loki.entries().size() >= 25, Duration.ofSeconds(5));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(loki.requestSizes()).containsExactly(10, 10, 5);
    assertThat(elapsedMs).as("the last 5 wait for the batch delay").isBetween(600L, 5000L);
    assertThat(loki.entries()).extracting(LokiReceiver.Entry::timestampNanos)
        .containsExactlyElementsOf(records.stream().map(LogRecordData::getTimestampEpochNanos).toList());
  }

  @Test
  void export_outOfOrderTimestampsInOneBatch_eachStreamSentInTimestampOrder() throws Exception {
    LokiReceiver loki = receiver();
    LokiExporter exporter = exporter(LokiExporter.builder().setEndpoint(loki.pushUrl()).setMaxBatchDelay(Duration.ofSeconds(30)));
    exporter.export(List.of(
        record("a", T0 + 3, Attributes.empty()), record("b", T0 + 2, Attributes.empty()),
        record("a", T0 + 1, Attributes.empty()), record("b", T0 + 1, Attributes.empty()),
        record("a", T0 + 2, Attributes.empty())));
    assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(times(loki, "a")).containsExactly(T0 + 1, T0 + 2, T0 + 3);
    assertThat(times(loki, "b")).containsExactly(T0 + 1, T0 + 2);
  }

  @ParameterizedTest
  @EnumSource(LokiFormat.class)
  void export_429Then503_retriesTheSameBatchUntil204_deliveredOnce(LokiFormat format) throws Exception {
    LokiReceiver loki = receiver().script(429, 503);
    LokiExporter exporter = exporter(LokiExporter.builder().setEndpoint(loki.pushUrl()).setFormat(format)
        .setBackoff(Duration.ofMillis(50), Duration.ofMillis(100)));
    exporter.export(List.of(record("go.gc.pause", T0, Attributes.empty()), record("go.gc.pause", T0 + 5, Attributes.empty())));
    assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(loki.requests()).hasSize(3);
    assertThat(loki.requests().get(0).body()).isEqualTo(loki.requests().get(2).body());
    assertThat(loki.entries()).extracting(LokiReceiver.Entry::timestampNanos).containsExactly(T0, T0 + 5);
    assertThat(exporter.drops().get(LokiExporter.REJECTED)).isZero();
  }

  @Test
  void export_400_droppedWithoutRetryAndCounted_laterBatchesStillSent() throws Exception {
    LokiReceiver loki = receiver().script(400);
    LokiExporter exporter = exporter(LokiExporter.builder().setEndpoint(loki.pushUrl())
        .setBackoff(Duration.ofMillis(10), Duration.ofMillis(10)));
    exporter.export(List.of(record("x", T0, Attributes.empty()), record("x", T0 + 1, Attributes.empty())));
    assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.export(List.of(record("x", T0 + 2, Attributes.empty())));
    assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(loki.requests()).as("the rejected batch once, then the next").hasSize(2);
    assertThat(exporter.drops().get(LokiExporter.REJECTED)).isEqualTo(2);
    assertThat(loki.entries()).extracting(LokiReceiver.Entry::timestampNanos).containsExactly(T0 + 2);
  }

  @Test
  void export_backendDownAndQueueFull_dropsTheOverflowCountedAndShutdownCountsTheRest() throws Exception {
    LokiExporter exporter = LokiExporter.builder().setEndpoint("http://127.0.0.1:" + closedPort() + "/loki/api/v1/push")
        .setQueueLimit(5).setTimeout(Duration.ofMillis(500)).setBackoff(Duration.ofMillis(20), Duration.ofMillis(50)).build();
    List<LogRecordData> records = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      records.add(record("x", T0 + i, Attributes.empty()));
    }
    assertThat(exporter.export(records).isSuccess()).isFalse();
    assertThat(exporter.drops().get(LokiExporter.QUEUE_FULL)).isEqualTo(3);
    assertThat(exporter.queued()).isEqualTo(5);

    assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(exporter.drops().get(LokiExporter.SHUTDOWN)).isEqualTo(5);
  }

  @ParameterizedTest(name = "spool {0}")
  @ValueSource(booleans = {false, true})
  void export_steadyState_bytesAllocatedPerEvent(boolean spool) throws Exception {
    LokiReceiver loki = receiver();
    LokiExporterBuilder builder = LokiExporter.builder().setEndpoint(loki.pushUrl()).setMaxBatchEntries(1000);
    LokiExporter exporter = exporter(spool ? builder.setSpool(spoolDir, 64 << 20) : builder);
    List<LogRecordData> records = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      records.add(record("go.gc.pause", T0 + i, Attributes.of(AttributeKey.longKey("process.pid"), 4242L,
          AttributeKey.doubleKey("go.gc.pause.duration"), 0.0001 * i)));
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long sender = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("gopherlens-loki-sender")).findFirst().orElseThrow().getId();
    exporter.export(records);
    assertThat(exporter.flush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    long exportBefore = threads.getCurrentThreadAllocatedBytes();
    long senderBefore = threads.getThreadAllocatedBytes(sender);
    exporter.export(records);
    long exportBytes = threads.getCurrentThreadAllocatedBytes() - exportBefore;
    assertThat(exporter.flush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    long senderBytes = threads.getThreadAllocatedBytes(sender) - senderBefore;
    System.out.printf("loki (spool %s): %.0f B/event on the exporting thread (mapping + queue), %.0f B/event on the sender (batch, encode, HTTP)%n",
        spool, exportBytes / 10_000.0, senderBytes / 10_000.0);
    assertThat(loki.entries()).hasSize(20_000);
    assertThat(exportBytes / 10_000.0).as("bytes per event when queued").isLessThan(700);
    assertThat(senderBytes / 10_000.0).as("bytes per event when sent").isLessThan(spool ? 1200 : 200);
  }

  static List<Long> times(LokiReceiver loki, String event) {
    return loki.entries().stream().filter(e -> e.labels().get("event_name").equals(event)).map(LokiReceiver.Entry::timestampNanos).toList();
  }

  static LogRecordData record(String event, long timestampNanos, Attributes attributes) {
    return TestLogRecordData.builder()
        .setResource(RESOURCE)
        .setEventName(event)
        .setTimestamp(timestampNanos, TimeUnit.NANOSECONDS)
        .setAttributes(attributes)
        .build();
  }

  private LokiReceiver receiver() throws IOException {
    LokiReceiver loki = LokiReceiver.start();
    closeAfter.add(loki);
    return loki;
  }

  private LokiExporter exporter(LokiExporterBuilder builder) {
    LokiExporter exporter = builder.build();
    closeAfter.add(0, () -> exporter.shutdown().join(10, TimeUnit.SECONDS));
    return exporter;
  }

  private Logger logger(LokiExporter exporter) {
    SdkLoggerProvider provider =
        SdkLoggerProvider.builder().setResource(RESOURCE).addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build();
    return provider.get("io.gopherlens");
  }

  static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
