package io.gopherlens.goruntime;

import io.gopherlens.probe.GcTrigger;
import io.gopherlens.probe.StwKind;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GC cycle and pause instruments, per Go process. Attribute sets are cached per (pid, trigger)
 * and (pid, phase), so recording allocates nothing in steady state.
 */
public final class GcMetrics {
  public static final AttributeKey<Long> PROCESS_PID = AttributeKey.longKey("process.pid");
  public static final AttributeKey<String> PROCESS_EXECUTABLE_NAME = AttributeKey.stringKey("process.executable.name");
  static final AttributeKey<String> GC_TRIGGER = AttributeKey.stringKey("gopherlens.go.gc.trigger");
  static final AttributeKey<String> GC_PHASE = AttributeKey.stringKey("gopherlens.go.gc.phase");

  /** Pause buckets from 10 µs to 1 s: Go's STW pauses are usually tens to hundreds of µs. */
  static final List<Double> PAUSE_BUCKETS =
      List.of(1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 0.5, 1.0);

  private final LongCounter cycles;
  private final DoubleHistogram pauses;
  private final Map<Long, Attributes> attributes = new ConcurrentHashMap<>();

  public GcMetrics(Meter meter) {
    cycles =
        meter
            .counterBuilder("go.memory.gc.cycles")
            .setDescription("GC cycles started, per Go process and trigger (heap, time, explicit)")
            .setUnit("{gc_cycle}")
            .build();
    pauses =
        meter
            .histogramBuilder("go.memory.gc.pause.duration")
            .setDescription("Stop-the-world pauses of GC cycles, per phase (sweep termination, mark termination)")
            .setUnit("s")
            .setExplicitBucketBoundariesAdvice(PAUSE_BUCKETS)
            .build();
  }

  public void cycleStarted(int pid, String executable, GcTrigger trigger) {
    cycles.add(1, attributes(pid, 0x10 | trigger.ordinal(), executable, GC_TRIGGER, trigger.label()));
  }

  public void paused(int pid, String executable, StwKind kind, long durationNanos) {
    if (kind.isGc()) {
      pauses.record(durationNanos / 1e9, attributes(pid, 0x20 | kind.ordinal(), executable, GC_PHASE, kind.label()));
    }
  }

  /** Forgets a process's cached attribute sets when it exits. */
  public void processGone(int pid) {
    attributes.keySet().removeIf(k -> (k >>> 8) == pid);
  }

  private Attributes attributes(int pid, int slot, String exe, AttributeKey<String> key, String value) {
    return attributes.computeIfAbsent(
        ((long) pid << 8) | slot,
        k -> Attributes.of(PROCESS_PID, (long) pid, PROCESS_EXECUTABLE_NAME, exe, key, value));
  }
}
