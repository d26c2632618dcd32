package io.gopherlens.gomaps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gopherlens.goproc.GoProcessTracker;
import io.gopherlens.goproc.ProbeCatalog;
import io.gopherlens.probe.NativeProbe;
import io.gopherlens.probe.ProbeEvent;
import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import io.gopherlens.testing.ProbeEvents;
import io.gopherlens.testing.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's event path end to end: growth probes on a real Go program feed the tracker, which
 * must name the function that grew each large map and read its entries and capacity exactly
 * (len(m) and the runtime's own buckets or tables) and its bytes within 1% of the heap growth
 * runtime.MemStats saw. Every toolchain, stripped and not. Needs root.
 */
class MapTrackingProbeTest {
  private static final long MIN_BYTES = 64 * 1024;

  static Stream<Arguments> builds() {
    return Stream.of(GoToolchain.values())
        .flatMap(go -> Stream.of(Arguments.of(go, Variant.DEFAULT), Arguments.of(go, Variant.STRIPPED)));
  }

  @ParameterizedTest(name = "go {0} {1}")
  @MethodSource("builds")
  void accept_growthEvents_tracksLargeMapsAtTheFunctionThatGrewThem(GoToolchain go, Variant variant)
      throws Exception {
    boolean swiss = go.compareTo(GoToolchain.GO_1_24) >= 0;
    List<ProbeEvent> events = new ArrayList<>();
    AtomicLong growths = new AtomicLong();
    try (NativeProbe probe = NativeProbe.open(new NativeProbe.Options(false, false, true, false, false, false),
            MIN_BYTES);
        GoProcessTracker processes = new GoProcessTracker(probe, ProbeCatalog.AGENT);
        Workload workload = Workload.start(go.build(GoToolchain.workload("mapsizes"), variant))) {
      workload.next();
      int pid = workload.pid();
      processes.onExec(pid);
      processes.awaitIdle();
      assertThat(processes.process(pid)).as("watching the workload").isPresent();
      MapTracking tracking = new MapTracking(new MapTracking.Settings(MIN_BYTES, 64, 8, 1 << 20),
          p -> processes.process(p).map(GoProcessTracker.GoProcess::binary), null, m -> {});

      // As the agent does: a poller hands every growth to the tracker while the program runs
      // (2,000 growths of a million-entry Swiss map overflow the ring buffer otherwise).
      AtomicBoolean polling = new AtomicBoolean(true);
      Thread poller = new Thread(() -> {
        while (polling.get()) {
          probe.poll(100, e -> {
            if (e instanceof ProbeEvent.MapGrowth g && g.pid() == pid) {
              growths.incrementAndGet();
              tracking.accept(g);
            }
          });
        }
      });
      poller.start();
      workload.proceed();
      JsonNode built = workload.next();
      Thread.sleep(500);
      polling.set(false);
      poller.join();
      ProbeEvents.drain(probe, events);
      events.stream().filter(e -> e instanceof ProbeEvent.MapGrowth && e.pid() == pid)
          .forEach(e -> tracking.accept((ProbeEvent.MapGrowth) e));
      tracking.tracker().sampleAll();
      Map<Long, TrackedMap> tracked = tracking.tracker().maps().stream()
          .collect(Collectors.toMap(TrackedMap::address, m -> m));
      System.out.printf("map-tracking go%s %s: %d growth events (probe %s), offers %s, tracked %s%n", go.version,
          variant, growths.get() + events.stream().filter(e -> e instanceof ProbeEvent.MapGrowth).count(),
          io.gopherlens.probe.MapProbeCounters.read(probe), tracking.tracker().offers(),
          tracked.values().stream().map(m -> m.site() + " " + m.state()).toList());

      // make(map, hint) builds a Swiss map's tables at once, with no split for the probe to see.
      List<String> expected = swiss ? List.of("main.fillInts", "main.fillStrings")
          : List.of("main.fillInts", "main.fillStrings", "main.fillPointers");
      assertThat(tracked).as("one tracked map per large map").hasSize(expected.size());
      for (String name : expected) {
        JsonNode truth = byName(built, name);
        TrackedMap m = tracked.get(truth.get("addr").asLong());
        assertThat(m).as("%s tracked at its address", name).isNotNull();
        assertThat(m.site()).as("site").startsWith(name + " main.go:");
        assertThat(m.state().entries()).as("%s entries", name).isEqualTo(truth.get("len").asLong());
        assertThat(m.state().capacity()).as("%s capacity", name).isEqualTo(truth.get("capacity").asLong());
        long keyBytes = name.equals("main.fillStrings") ? 16L * truth.get("len").asLong() : 0;
        long heap = truth.get("heap_bytes").asLong() - keyBytes;
        assertThat(m.state().bytes()).as("%s bytes vs heap growth", name).isCloseTo(heap, Offset.offset(heap / 100));
      }
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
}
