package io.gopherlens.goruntime;

import io.gopherlens.goproc.GoProcessTracker;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Heap, stack and pacer gauges, go.memory.used and the runtime's own pause total of every watched
 * Go process, from its latest sample.
 */
public final class HeapMetrics {
  static final AttributeKey<String> GO_MEMORY_TYPE = AttributeKey.stringKey("go.memory.type");

  public HeapMetrics(Meter meter, HeapSampler sampler, GoProcessTracker tracker) {
    gauge(meter, sampler, tracker, "gopherlens.go.memory.heap.inuse",
        "Bytes in in-use heap spans (runtime.MemStats.HeapInuse)", HeapState::heapInUse);
    gauge(meter, sampler, tracker, "gopherlens.go.memory.heap.released",
        "Heap bytes returned to the OS (runtime.MemStats.HeapReleased)", HeapState::heapReleased);
    gauge(meter, sampler, tracker, "gopherlens.go.memory.heap.idle",
        "Bytes in idle heap spans, released or not (runtime.MemStats.HeapIdle)", HeapState::heapIdle);
    gauge(meter, sampler, tracker, "go.memory.gc.goal",
        "Heap size target of the next GC cycle from GOGC (runtime.MemStats.NextGC unless GOMEMLIMIT lowers it)",
        "By", HeapState::heapGoal);
    gauge(meter, sampler, tracker, "gopherlens.go.memory.heap.live",
        "Live heap bytes marked by the last GC cycle", HeapState::heapMarked);
    gauge(meter, sampler, tracker, "go.memory.limit", "Go runtime memory limit (GOMEMLIMIT)", "By", HeapState::memoryLimit);
    gauge(meter, sampler, tracker, "go.config.gogc", "Heap size target percentage (GOGC); negative when GC is off",
        "%", s -> s.gcPercent());
    optionalGauge(meter, sampler, tracker, "gopherlens.go.memory.stack.inuse",
        "Bytes in stack spans (runtime.MemStats.StackInuse)", "By",
        s -> s.memStats().map(HeapState.MemStatsReading::stackInUse));
    meter
        .upDownCounterBuilder("go.memory.used")
        .setDescription("Memory used by the Go runtime (Sys - HeapReleased), by go.memory.type: stack, other")
        .setUnit("By")
        .buildWithCallback(m -> memoryUsed(m, sampler, tracker));
    meter
        .counterBuilder("gopherlens.go.memory.gc.pause.total")
        .ofDoubles()
        .setDescription("Stop-the-world time of all GC cycles since the process started, as the runtime counts it"
            + " (runtime.MemStats.PauseTotalNs)")
        .setUnit("s")
        .buildWithCallback(m -> {
          for (Map.Entry<Integer, HeapState> e : sampler.latest().entrySet()) {
            e.getValue().memStats().ifPresent(r -> m.record(r.pauseTotalNanos() / 1e9, attributes(tracker, e.getKey())));
          }
        });
  }

  /** Semantic conventions: stack = /memory/classes/heap/stacks:bytes, other = the rest of total - released. */
  private static void memoryUsed(ObservableLongMeasurement m, HeapSampler sampler, GoProcessTracker tracker) {
    for (Map.Entry<Integer, HeapState> e : sampler.latest().entrySet()) {
      HeapState s = e.getValue();
      s.memStats().ifPresent(r -> {
        Attributes process = attributes(tracker, e.getKey());
        m.record(r.stackInUse(), process.toBuilder().put(GO_MEMORY_TYPE, "stack").build());
        m.record(s.mappedReady() - r.stackInUse(), process.toBuilder().put(GO_MEMORY_TYPE, "other").build());
      });
    }
  }

  private static void gauge(
      Meter meter, HeapSampler sampler, GoProcessTracker tracker, String name, String description,
      ToLongFunction<HeapState> value) {
    gauge(meter, sampler, tracker, name, description, "By", value);
  }

  private static void gauge(
      Meter meter, HeapSampler sampler, GoProcessTracker tracker, String name, String description, String unit,
      ToLongFunction<HeapState> value) {
    optionalGauge(meter, sampler, tracker, name, description, unit, s -> Optional.of(value.applyAsLong(s)));
  }

  /** A gauge of a value some processes lack (then they have no series). */
  private static void optionalGauge(
      Meter meter, HeapSampler sampler, GoProcessTracker tracker, String name, String description, String unit,
      Function<HeapState, Optional<Long>> value) {
    meter
        .upDownCounterBuilder(name)
        .setDescription(description)
        .setUnit(unit)
        .buildWithCallback(m -> {
          for (Map.Entry<Integer, HeapState> e : sampler.latest().entrySet()) {
            value.apply(e.getValue()).ifPresent(v -> m.record(v, attributes(tracker, e.getKey())));
          }
        });
  }

  private static Attributes attributes(GoProcessTracker tracker, int pid) {
    String exe = tracker.executableName(pid);
    return Attributes.of(GcMetrics.PROCESS_PID, (long) pid, GcMetrics.PROCESS_EXECUTABLE_NAME, exe);
  }
}
