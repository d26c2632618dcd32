package io.gopherlens.goruntime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gopherlens.goproc.GoProcessTracker;
import io.gopherlens.goproc.ProbeCatalog;
import io.gopherlens.probe.NativeProbe;
import io.gopherlens.probe.ProbeEvent;
import io.gopherlens.testing.GoToolchain;
import io.gopherlens.testing.GoToolchain.Variant;
import io.gopherlens.testing.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GC cycles and stop-the-world pauses seen by the probes against the Go program's own
 * runtime.ReadMemStats, for every installed toolchain, stripped and not. Needs root.
 */
class GcGroundTruthTest {
  private static final int CYCLES = 60;

  static Stream<Arguments> builds() {
    return Stream.of(GoToolchain.values())
        .flatMap(go -> Stream.of(Arguments.of(go, Variant.DEFAULT), Arguments.of(go, Variant.STRIPPED)));
  }

  @ParameterizedTest(name = "go {0} {1}")
  @MethodSource("builds")
  void probes_gcWorkload_cyclesExactAndPausesMatchPauseTotalNs(GoToolchain go, Variant variant) throws Exception {
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
      drain(probe, events);
      workload.proceed();
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
          "gc-ground-truth go%s %s: cycles %d/%d, pauses %d, pause total seen %d ns vs PauseTotalNs %d ns (%.1f%%)%n",
          go.version, variant, seenCycles, cycles, gcPauses.size(), seenPauseNs, goPauseNs,
          100.0 * (seenPauseNs - goPauseNs) / goPauseNs);
      assertThat(cycles).isGreaterThanOrEqualTo(CYCLES);
      assertThat(seenCycles).as("cycle starts vs NumGC delta").isEqualTo(cycles);
      assertThat(gcPauses).as("two stop-the-world pauses per cycle").hasSize((int) (2 * cycles));
      long tolerance = Math.max(goPauseNs / 10, 50_000L * gcPauses.size());
      assertThat(Math.abs(seenPauseNs - goPauseNs))
          .as("pause total %d ns seen vs PauseTotalNs delta %d ns", seenPauseNs, goPauseNs)
          .isLessThanOrEqualTo(tolerance);
    }
  }

  /** Polls until the ring buffers stay empty for half a second. */
  private static void drain(NativeProbe probe, List<ProbeEvent> events) {
    long start = System.nanoTime();
    long quietSince = start;
    while (System.nanoTime() - quietSince < 500_000_000L && System.nanoTime() - start < 10_000_000_000L) {
      if (probe.poll(100, events::add) > 0) {
        quietSince = System.nanoTime();
      }
    }
  }
}
