package io.gopherlens.goruntime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gopherlens.goproc.GoProcessTracker;
import io.gopherlens.goproc.ProbeCatalog;
import io.gopherlens.probe.NativeProbe;
import io.gopherlens.probe.ProbeEvent;
import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.ProbeEvents;
import io.gopherlens.testing.GoToolchain.Variant;
import io.gopherlens.testing.Workload;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GC cycles, stop-the-world pauses and heap state seen from outside against the Go program's
 * own runtime.ReadMemStats, for every installed toolchain, stripped, not, and PIE. Needs root.
 */
class GcGroundTruthTest {
  private static final int CYCLES = 60;

  static Stream<Arguments> builds() {
    return Stream.of(GoToolchain.values())
        .flatMap(go -> Stream.of(Arguments.of(go, Variant.DEFAULT), Arguments.of(go, Variant.STRIPPED),
            Arguments.of(go, Variant.PIE))); // PIE: memstats' run-time address needs the load bias
  }

  @ParameterizedTest(name = "go {0} {1}")
  @MethodSource("builds")
  void probes_gcWorkload_cyclesAndRuntimeStatsMatchReadMemStats(GoToolchain go, Variant variant) throws Exception {
    Path binary = go.build(GoToolchain.workload("gcstats"), variant);
    List<ProbeEvent> events = new ArrayList<>();
    try (NativeProbe probe = NativeProbe.open(new NativeProbe.Options(false, false, true, false, false, false));
        GoProcessTracker tracker = new GoProcessTracker(probe, ProbeCatalog.AGENT);
        Workload workload = Workload.start(binary, Integer.toString(CYCLES))) {
      JsonNode ready = workload.next();
      int pid = workload.pid();
      tracker.onExec(pid);
      tracker.awaitIdle();
      assertThat(tracker.process(pid)).as("watching the workload").isPresent();

      workload.proceed();
      JsonNode done = workload.next();
      // The program now waits on stdin right after its last GC and ReadMemStats: read its heap
      // from outside before anything else moves. The cycle-start probe gave gcController's address.
      ProbeEvents.drain(probe, events);
      long controller =
          events.stream()
              .filter(e -> e instanceof ProbeEvent.GcStart && e.pid() == pid)
              .mapToLong(e -> ((ProbeEvent.GcStart) e).controllerAddress())
              .findFirst()
              .orElseThrow();
      HeapSampler heap = new HeapSampler();
      assertThat(heap.watch(pid, controller, tracker.process(pid).orElseThrow().binary())).as("layout known").isTrue();
      HeapState state = heap.sample(pid).orElseThrow();
      workload.proceed();
      JsonNode exit = workload.next();
      assertThat(workload.awaitExit()).isZero();

      long cycles = done.get("num_gc").asLong() - ready.get("num_gc").asLong();
      long goPauseNs = done.get("pause_total_ns").asLong() - ready.get("pause_total_ns").asLong();
      List<ProbeEvent.GcPause> gcPauses =
          events.stream()
              .filter(e -> e instanceof ProbeEvent.GcPause p && p.pid() == pid && p.kind().isGc())
              .map(e -> (ProbeEvent.GcPause) e)
              .toList();
      long seenCycles = events.stream().filter(e -> e instanceof ProbeEvent.GcStart && e.pid() == pid).count();
      long seenPauseNs = gcPauses.stream().mapToLong(ProbeEvent.GcPause::durationNanos).sum();

      System.out.printf(
          "gc-ground-truth go%s %s: cycles %d/%d, pauses %d, pause total seen %d ns vs PauseTotalNs %d ns (%.1f%%),"
              + " HeapInuse %d vs %d, HeapReleased %d vs %d%n",
          go.version, variant, seenCycles, cycles, gcPauses.size(), seenPauseNs, goPauseNs,
          100.0 * (seenPauseNs - goPauseNs) / goPauseNs, state.heapInUse(), done.get("heap_inuse").asLong(),
          state.heapReleased(), done.get("heap_released").asLong());
      // Per cycle: Go's PauseNs (both pauses) next to ours, to see where they part.
      StringBuilder perCycle = new StringBuilder();
      long lastGc = done.get("num_gc").asLong();
      for (int i = 0; i < Math.min(cycles, 12); i++) {
        long gcNumber = lastGc - i; // 1-based cycle number
        long goNs = done.get("pause_ns").get((int) ((gcNumber + 255) % 256)).asLong();
        int idx = gcPauses.size() - 2 * (i + 1);
        long ours = idx >= 0 ? gcPauses.get(idx).durationNanos() + gcPauses.get(idx + 1).durationNanos() : -1;
        perCycle.append(String.format(" [%d: go %d us, seen %d us]", gcNumber, goNs / 1000, ours / 1000));
      }
      System.out.println("gc-per-cycle go" + go.version + " " + variant + perCycle);
      long goUsed = used(done);
      System.out.printf("gc-memstats go%s %s: %s; StackInuse done/exit %d/%d; go.memory.used %d vs %d/%d"
              + " (total - released, done/exit)%n", go.version, variant, state.memStats(),
          done.get("stack_inuse").asLong(), exit.get("stack_inuse").asLong(), state.mappedReady(), goUsed, used(exit));
      assertThat(cycles).isGreaterThanOrEqualTo(CYCLES);
      assertThat(seenCycles).as("cycle starts vs NumGC delta").isEqualTo(cycles);
      assertThat(gcPauses).as("two stop-the-world pauses per cycle").hasSize((int) (2 * cycles));
      assertThat((double) state.heapInUse()).as("HeapInuse")
          .isCloseTo(done.get("heap_inuse").asDouble(), org.assertj.core.data.Percentage.withPercentage(1));
      assertThat((double) state.heapReleased()).as("HeapReleased")
          .isCloseTo(done.get("heap_released").asDouble(), org.assertj.core.data.Percentage.withPercentage(1));
      assertThat((double) state.heapIdle()).as("HeapIdle")
          .isCloseTo(done.get("heap_idle").asDouble(), org.assertj.core.data.Percentage.withPercentage(1));
      assertThat((double) state.heapSys()).as("HeapSys")
          .isCloseTo(done.get("heap_sys").asDouble(), org.assertj.core.data.Percentage.withPercentage(1));
      assertThat(state.heapGoal()).as("NextGC (no GOMEMLIMIT set)").isEqualTo(done.get("next_gc").asLong());
      assertThat(state.gcPercent()).as("GOGC").isEqualTo(done.get("gogc").asInt());
      assertThat(state.heapMarked()).as("live heap marked by the last cycle").isPositive().isLessThanOrEqualTo(state.heapInUse());
      assertThat(state.memoryLimit()).as("GOMEMLIMIT").isEqualTo(done.get("memory_limit").asLong());
      HeapState.MemStatsReading runtimeStats = state.memStats().orElseThrow(() -> new AssertionError(
          "runtime.memstats not located in go" + go.version + " " + variant));
      assertThat(runtimeStats.gcCount()).as("NumGC read from memstats").isEqualTo(done.get("num_gc").asLong());
      assertThat(runtimeStats.pauseTotalNanos()).as("PauseTotalNs read from memstats")
          .isEqualTo(done.get("pause_total_ns").asLong());
      // Read between the program's "done" and "exit" reports. While it blocks on stdin the
      // runtime may start a thread, whose g0 and signal stacks come from the stack spans and
      // can go again: so within 1% or 64 KiB of that range.
      assertWithin(runtimeStats.stackInUse(), done.get("stack_inuse").asLong(), exit.get("stack_inuse").asLong(),
          "StackInuse");
      assertWithin(runtimeStats.stackInUse(), stacksClass(done), stacksClass(exit),
          "go.memory.used{go.memory.type=stack} vs /memory/classes/heap/stacks:bytes");
      assertThat((double) state.mappedReady()).as("go.memory.used, all types (total - released)")
          .isBetween(Math.min(goUsed, used(exit)) * 0.99, Math.max(goUsed, used(exit)) * 1.01);
      assertMetrics(heap, tracker, pid, state);
      // The probe-timed pauses (the histogram). From Go 1.22 the probe on startTheWorldWithSema's
      // RET sees Go's own window, both ends: the sum is PauseTotalNs to the nanosecond. Before,
      // mark termination's pause starts at stopTheWorldWithSema's entry and ends after Go's does:
      // the bound is the issue's, 10% or 50 µs a pause, whichever is larger.
      if (go.compareTo(GoToolchain.GO_1_22) >= 0) {
        assertThat(seenPauseNs).as("probe-timed pause total vs the PauseTotalNs delta").isEqualTo(goPauseNs);
      } else {
        long slack = Math.max(goPauseNs / 10, 50_000L * gcPauses.size());
        assertThat(seenPauseNs).as("probe-timed pause total vs the PauseTotalNs delta, within %d ns", slack)
            .isBetween(goPauseNs - slack, goPauseNs + slack);
      }
    }
  }

  /** What a scrape shows for this sample: go.memory.used by type, StackInuse, the runtime's pause total. */
  private static void assertMetrics(HeapSampler heap, GoProcessTracker tracker, int pid, HeapState state) {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build()) {
      new HeapMetrics(provider.get("test"), heap, tracker);
      Map<String, MetricData> byName = new HashMap<>();
      reader.collectAllMetrics().forEach(m -> byName.put(m.getName(), m));
      HeapState.MemStatsReading r = state.memStats().orElseThrow();
      Map<String, Long> used = new HashMap<>();
      byName.get("go.memory.used").getLongSumData().getPoints().stream()
          .filter(p -> p.getAttributes().get(GcMetrics.PROCESS_PID) == pid)
          .forEach(p -> used.put(p.getAttributes().get(HeapMetrics.GO_MEMORY_TYPE), p.getValue()));
      assertThat(used).as("go.memory.used by go.memory.type")
          .isEqualTo(Map.of("stack", r.stackInUse(), "other", state.mappedReady() - r.stackInUse()));
      assertThat(byName.get("gopherlens.go.memory.stack.inuse").getLongSumData().getPoints())
          .singleElement().extracting(LongPointData::getValue).isEqualTo(r.stackInUse());
      assertThat(byName.get("gopherlens.go.memory.gc.pause.total").getDoubleSumData().getPoints())
          .singleElement().extracting(DoublePointData::getValue).isEqualTo(r.pauseTotalNanos() / 1e9);
    }
  }

  /** go.memory.used as the semantic conventions define it, from the program's runtime/metrics. */
  private static long used(JsonNode report) {
    JsonNode c = report.get("memory_classes");
    return c.get("/memory/classes/total:bytes").asLong() - c.get("/memory/classes/heap/released:bytes").asLong();
  }

  private static long stacksClass(JsonNode report) {
    return report.get("memory_classes").get("/memory/classes/heap/stacks:bytes").asLong();
  }

  private static void assertWithin(long actual, long a, long b, String what) {
    long slack = Math.max(Math.max(a, b) / 100, 64 << 10);
    assertThat(actual).as("%s (program read %d then %d)", what, a, b)
        .isBetween(Math.min(a, b) - slack, Math.max(a, b) + slack);
  }
}
