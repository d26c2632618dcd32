package io.gopherlens.gomaps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gopherlens.goproc.GoBinary;
import io.gopherlens.goruntime.GcMetrics;
import io.gopherlens.log.EventLog;
import io.gopherlens.log.RateLimit;
import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import io.gopherlens.testing.Workload;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tracker on a real Go program (classic and Swiss maps): what it tracks, the retention
 * finding after deletes, maps emptied or replaced, process exit, limits and metrics. Needs root.
 */
class MapTrackerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<GoToolchain> toolchains() {
    return Stream.of(GoToolchain.GO_1_23, GoToolchain.GO_1_27);
  }

  @ParameterizedTest(name = "go {0}")
  @MethodSource("toolchains")
  void sampleAll_mapsEmptiedAfterGrowth_oneFindingPerMapThenReusedHeaderUntracked(GoToolchain go) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<TrackedMap> heard = new ArrayList<>();
    RetentionFindings findings = new RetentionFindings(8, 1 << 20, new EventLog(out), new RateLimit(10, 10), heard::add);
    try (Workload workload = Workload.start(go.build(GoToolchain.workload("mapsizes"), Variant.STRIPPED))) {
      workload.next();
      workload.proceed();
      JsonNode built = workload.next();
      int pid = workload.pid();
      MapTracker tracker = new MapTracker(new MapTracker.Settings(64 << 10, 16), p -> reader(pid), findings, () -> 0);
      Map<String, Long> addr = new HashMap<>();
      Map<String, MapTracker.Offer> offers = new HashMap<>();
      for (JsonNode m : built.get("maps")) {
        String name = m.get("name").asText();
        addr.put(name, m.get("addr").asLong());
        offers.put(name, tracker.offer(pid, m.get("addr").asLong(), type(pid, m), name));
      }
      assertThat(offers).containsEntry("main.fillInts", MapTracker.Offer.TRACKED)
          .containsEntry("main.fillStrings", MapTracker.Offer.TRACKED)
          .containsEntry("main.fillPointers", MapTracker.Offer.TRACKED)
          .containsEntry("main.fillSmall", MapTracker.Offer.PENDING);
      tracker.sampleAll();
      assertThat(tracker.offers()).as("a small map read again, still small").containsEntry(MapTracker.Offer.SMALL, 1L);
      assertThat(tracker.offer(pid, addr.get("main.fillInts"), Optional.empty(), "main.fillInts"))
          .isEqualTo(MapTracker.Offer.ALREADY_TRACKED);
      assertThat(heard).as("no finding while maps are full").isEmpty();

      workload.proceed();
      JsonNode deleted = workload.next();
      tracker.sampleAll();
      tracker.sampleAll(); // a second sample of unchanged maps repeats nothing
      assertThat(heard).extracting(TrackedMap::site)
          .containsExactlyInAnyOrder("main.fillInts", "main.fillStrings", "main.fillPointers");
      for (TrackedMap m : tracker.maps()) {
        JsonNode truth = byName(deleted, m.site());
        assertThat(m.state().entries()).as("%s entries", m.site()).isEqualTo(truth.get("len").asLong());
        assertThat(m.state().capacity()).as("%s capacity", m.site()).isEqualTo(truth.get("capacity").asLong());
      }
      List<JsonNode> lines = events(out);
      assertThat(lines).hasSize(3).allSatisfy(l -> {
        assertThat(l.get("event").asText()).isEqualTo(RetentionFindings.EVENT);
        assertThat(l.get("message").asText()).contains("Go maps never shrink");
      });
      JsonNode ints = lines.stream().filter(l -> l.get("gopherlens.go.map.site").asText().equals("main.fillInts"))
          .findFirst().orElseThrow();
      assertThat(ints.get("entries").asLong()).isEqualTo(50_000);
      assertThat(ints.get("message").asText()).startsWith("map created at main.fillInts owns ")
          .contains(" for 50,000 live entries (");

      long start = System.nanoTime();
      for (int i = 0; i < 50; i++) {
        tracker.sampleAll();
      }
      System.out.printf("map-tracker go%s: %.3f ms per sample of %d maps (%s)%n", go.version,
          (System.nanoTime() - start) / 1e6 / 50, tracker.maps().size(),
          tracker.maps().stream().map(m -> m.site() + " " + m.state().capacity() + " slots").toList());

      workload.proceed();
      JsonNode emptied = workload.next();
      tracker.sampleAll();
      assertThat(tracker.maps()).extracting(TrackedMap::site)
          .as("an emptied map has a new seed but the same storage: still tracked")
          .containsExactlyInAnyOrder("main.fillInts", "main.fillStrings");
      assertThat(tracker.maps().stream().filter(m -> m.site().equals("main.fillStrings")).findFirst().orElseThrow()
          .state().entries()).isZero().isEqualTo(emptied.get("maps").get(0).get("len").asLong());
      assertThat(tracker.untracked()).containsEntry(MapTracker.Untracked.REUSED, 1L);

      workload.close();
      Thread.sleep(200);
      tracker.sampleAll();
      assertThat(tracker.maps()).isEmpty();
      assertThat(tracker.untracked()).containsEntry(MapTracker.Untracked.PROCESS_EXITED, 2L);
    }
  }

  @Test
  void offer_beyondLimitOrNotAMap_refusedAndCounted() throws Exception {
    RetentionFindings findings = new RetentionFindings(8, 1 << 20, null, new RateLimit(10, 10), m -> {});
    try (Workload workload = Workload.start(GoToolchain.GO_1_24.build(GoToolchain.workload("mapsizes"),
        Variant.DEFAULT))) {
      workload.next();
      workload.proceed();
      JsonNode built = workload.next();
      int pid = workload.pid();
      MapTracker tracker = new MapTracker(new MapTracker.Settings(64 << 10, 1), p -> reader(pid), findings, () -> 0);
      JsonNode ints = byName(built, "main.fillInts");
      JsonNode strs = byName(built, "main.fillStrings");
      assertThat(tracker.offer(pid, ints.get("type").asLong(), Optional.empty(), "type, not a map"))
          .as("maybe a map under construction").isEqualTo(MapTracker.Offer.PENDING);
      tracker.sampleAll();
      assertThat(tracker.offer(pid, ints.get("addr").asLong(), type(pid, ints), "ints"))
          .isEqualTo(MapTracker.Offer.TRACKED);
      assertThat(tracker.offer(pid, strs.get("addr").asLong(), type(pid, strs), "strs"))
          .isEqualTo(MapTracker.Offer.REFUSED_LIMIT);
      assertThat(tracker.offers()).containsEntry(MapTracker.Offer.INVALID, 1L)
          .containsEntry(MapTracker.Offer.REFUSED_LIMIT, 1L);

      InMemoryMetricReader metrics = InMemoryMetricReader.create();
      try (SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(metrics).build()) {
        new MapMetrics(provider.get("test"), tracker, findings, 10, p -> "mapsizes");
        Map<String, MetricData> byName = new HashMap<>();
        metrics.collectAllMetrics().forEach(m -> byName.put(m.getName(), m));
        var memory = byName.get("gopherlens.go.map.memory").getLongSumData().getPoints().iterator().next();
        assertThat(memory.getAttributes().get(MapMetrics.SITE)).isEqualTo("ints");
        assertThat(memory.getAttributes().get(GcMetrics.PROCESS_PID)).isEqualTo((long) pid);
        assertThat(memory.getValue()).isEqualTo(tracker.maps().get(0).state().bytes()).isPositive();
        assertThat(byName.get("gopherlens.go.map.entries").getLongSumData().getPoints().iterator().next().getValue())
            .isEqualTo(ints.get("len").asLong());
        assertThat(byName.get("gopherlens.go.map.capacity").getLongSumData().getPoints().iterator().next().getValue())
            .isEqualTo(ints.get("capacity").asLong());
        assertThat(byName.get("gopherlens.go.map.offers").getLongSumData().getPoints()).hasSize(4);
      }
    }
  }

  private static Optional<MapReader> reader(int pid) {
    return MapReader.forBinary(GoBinary.open(Path.of("/proc", Integer.toString(pid), "exe"))).reader();
  }

  /** The map type as the probe would learn it. */
  private static Optional<MapType> type(int pid, JsonNode m) throws Exception {
    try (var mem = io.gopherlens.goruntime.ProcessMemory.open(pid)) {
      return Optional.of(reader(pid).orElseThrow().readType(mem, m.get("type").asLong()));
    }
  }

  private static JsonNode byName(JsonNode phase, String name) {
    for (JsonNode m : phase.get("maps")) {
      if (m.get("name").asText().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no map " + name + " in " + phase);
  }

  private static List<JsonNode> events(ByteArrayOutputStream out) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!l.isBlank()) {
        lines.add(JSON.readTree(l));
      }
    }
    return lines;
  }
}
