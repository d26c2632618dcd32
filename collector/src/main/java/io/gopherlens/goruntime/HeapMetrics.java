package io.gopherlens.goruntime;

import io.gopherlens.goproc.GoProcessTracker;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.Map;
import java.util.function.ToLongFunction;

/** Heap and pacer gauges of every watched Go process, from the latest sample. */
public final class HeapMetrics {
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
  }

  private static void gauge(
      Meter meter, HeapSampler sampler, GoProcessTracker tracker, String name, String description,
      ToLongFunction<HeapState> value) {
    gauge(meter, sampler, tracker, name, description, "By", value);
  }

  private static void gauge(
      Meter meter, HeapSampler sampler, GoProcessTracker tracker, String name, String description, String unit,
      ToLongFunction<HeapState> value) {
    meter
        .upDownCounterBuilder(name)
        .setDescription(description)
        .setUnit(unit)
        .buildWithCallback(m -> record(m, sampler, tracker, value));
  }

  private static void record(
      ObservableLongMeasurement m, HeapSampler sampler, GoProcessTracker tracker, ToLongFunction<HeapState> value) {
    for (Map.Entry<Integer, HeapState> e : sampler.latest().entrySet()) {
      String exe = tracker.process(e.getKey()).map(GoProcessTracker.GoProcess::executableName).orElse("unknown");
      m.record(
          value.applyAsLong(e.getValue()),
          Attributes.of(GcMetrics.PROCESS_PID, (long) e.getKey(), GcMetrics.PROCESS_EXECUTABLE_NAME, exe));
    }
  }
}
