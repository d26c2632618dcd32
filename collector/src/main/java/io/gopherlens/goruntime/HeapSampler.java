package io.gopherlens.goruntime;

import io.gopherlens.goproc.GoBinary;
import io.gopherlens.goproc.RuntimeLayout;
import io.gopherlens.goproc.RuntimeLayoutResult;
import io.gopherlens.goproc.RuntimeLayouts;
import io.gopherlens.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the heap counters of watched Go processes from their memory: at the end of each GC
 * cycle and on every interval. The address of runtime.gcController comes from the receiver of
 * the cycle-start probe, so stripped binaries need no symbols; the field offsets come from the
 * binary's runtime layout (DWARF when present, else the per-version table checked against
 * DWARF in tests). Go 1.19-1.27 back ReadMemStats' HeapInuse, HeapReleased and HeapIdle with
 * gcController's sysMemStat counters, so reading them reproduces those numbers.
 */
public final class HeapSampler {
  private record Target(long controllerAddress, RuntimeLayout.GcController offsets) {}

  private static final Log LOG = Log.of(HeapSampler.class);
  private static final int MAX_CACHED_LAYOUTS = 1024;

  private final Map<GoBinary, Optional<RuntimeLayout.GcController>> layouts = new ConcurrentHashMap<>();

  private final Map<Integer, Target> targets = new ConcurrentHashMap<>();
  private final Map<Integer, HeapState> latest = new ConcurrentHashMap<>();
  private final ByteBuffer scratch = ByteBuffer.allocate(8);

  /**
   * Starts watching a process whose gcController address a cycle-start probe revealed; false
   * when its Go version has no known layout (nothing is read rather than a guess).
   */
  public boolean watch(int pid, long controllerAddress, GoBinary binary) {
    Optional<RuntimeLayout.GcController> offsets = layoutOf(binary);
    offsets.ifPresent(o -> targets.put(pid, new Target(controllerAddress, o)));
    return offsets.isPresent();
  }

  /** DWARF or the per-version table, once per binary (reading DWARF takes tens of ms). */
  private Optional<RuntimeLayout.GcController> layoutOf(GoBinary binary) {
    if (layouts.size() > MAX_CACHED_LAYOUTS) {
      layouts.clear();
    }
    return layouts.computeIfAbsent(binary, b -> {
      RuntimeLayoutResult r = RuntimeLayouts.forBinary(b);
      if (!r.supported()) {
        LOG.warn("no runtime layout; heap telemetry off for this binary", "goVersion", b.goVersion(), "detail", r.detail());
      }
      return r.layout().map(RuntimeLayout::gcController);
    });
  }

  public boolean isWatched(int pid) {
    return targets.containsKey(pid);
  }

  public void forget(int pid) {
    targets.remove(pid);
    latest.remove(pid);
  }

  /** Reads one process now; empty if it is not watched or has exited. */
  public synchronized Optional<HeapState> sample(int pid) {
    Target t = targets.get(pid);
    if (t == null) {
      return Optional.empty();
    }
    try (ProcessMemory mem = ProcessMemory.open(pid)) {
      HeapState s =
          new HeapState(
              read(mem, t.controllerAddress() + t.offsets().heapInUse()),
              read(mem, t.controllerAddress() + t.offsets().heapReleased()),
              read(mem, t.controllerAddress() + t.offsets().heapFree()),
              (int) read(mem, t.controllerAddress() + t.offsets().gcPercent()),
              read(mem, t.controllerAddress() + t.offsets().memoryLimit()),
              read(mem, t.controllerAddress() + t.offsets().gcPercentHeapGoal()),
              read(mem, t.controllerAddress() + t.offsets().heapMarked()),
              System.nanoTime());
      latest.put(pid, s);
      return Optional.of(s);
    } catch (IOException e) {
      LOG.debug("heap sample failed; process gone?", "pid", pid, "error", e.getMessage());
      forget(pid);
      return Optional.empty();
    }
  }

  /** Reads a process unless its latest sample is younger than {@code gapNanos}. */
  public void sampleIfOlderThan(int pid, long gapNanos) {
    HeapState last = latest.get(pid);
    if (last == null || System.nanoTime() - last.monotonicNanos() >= gapNanos) {
      sample(pid);
    }
  }

  /** Reads every watched process. */
  public void sampleAll() {
    for (Integer pid : targets.keySet()) {
      sample(pid);
    }
  }

  /** The most recent sample of each process. */
  public Map<Integer, HeapState> latest() {
    return Map.copyOf(latest);
  }

  private long read(ProcessMemory mem, long address) throws IOException {
    return mem.read(address, scratch).getLong(0);
  }
}
