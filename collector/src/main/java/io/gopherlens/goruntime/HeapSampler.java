package io.gopherlens.goruntime;

import io.gopherlens.goproc.GoBinary;
import io.gopherlens.goproc.GoBinaryException;
import io.gopherlens.goproc.MemstatsLocator;
import io.gopherlens.goproc.RuntimeLayout;
import io.gopherlens.goproc.RuntimeLayoutResult;
import io.gopherlens.goproc.RuntimeLayouts;
import io.gopherlens.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the heap counters of watched Go processes from their memory: at the end of each GC
 * cycle and on every interval. The address of runtime.gcController comes from the receiver of
 * the cycle-start probe, so stripped binaries need no symbols; the field offsets come from the
 * binary's runtime layout (DWARF when present, else the per-version table checked against
 * DWARF in tests). Go 1.19-1.27 back ReadMemStats' HeapInuse, HeapReleased and HeapIdle with
 * gcController's sysMemStat counters, so reading them reproduces those numbers. StackInuse,
 * PauseTotalNs and NumGC come from runtime.memstats, whose address the code of
 * gcMarkTermination reveals (MemstatsLocator).
 */
public final class HeapSampler {
  /** What is read from one binary's processes: gcController's fields and, when found, memstats'. */
  private record Layout(RuntimeLayout.GcController gc, RuntimeLayout.MemStats memStats, OptionalLong memstatsLink) {}

  private record Target(long controllerAddress, Layout layout, OptionalLong memstatsAddress) {}

  private static final Log LOG = Log.of(HeapSampler.class);
  private static final int MAX_CACHED_LAYOUTS = 1024;

  private final Map<GoBinary, Optional<Layout>> layouts = new ConcurrentHashMap<>();

  private final Map<Integer, Target> targets = new ConcurrentHashMap<>();
  private final Map<Integer, HeapState> latest = new ConcurrentHashMap<>();
  private final ByteBuffer scratch = ByteBuffer.allocate(8);

  /**
   * Starts watching a process whose gcController address a cycle-start probe revealed; false
   * when its Go version has no known layout (nothing is read rather than a guess).
   */
  public boolean watch(int pid, long controllerAddress, GoBinary binary) {
    Optional<Layout> layout = layoutOf(binary);
    layout.ifPresent(l -> targets.put(pid, new Target(controllerAddress, l, memstatsAddress(pid, binary, l))));
    return layout.isPresent();
  }

  /** DWARF or the per-version table, and memstats' place, once per binary (DWARF takes tens of ms). */
  private Optional<Layout> layoutOf(GoBinary binary) {
    if (layouts.size() > MAX_CACHED_LAYOUTS) {
      layouts.clear();
    }
    return layouts.computeIfAbsent(binary, b -> {
      RuntimeLayoutResult r = RuntimeLayouts.forBinary(b);
      if (!r.supported()) {
        LOG.warn("no runtime layout; heap telemetry off for this binary", "goVersion", b.goVersion(), "detail", r.detail());
        return Optional.empty();
      }
      RuntimeLayout l = r.layout().orElseThrow();
      OptionalLong memstats = locateMemstats(b, l.memStats());
      if (memstats.isEmpty()) {
        LOG.warn("runtime.memstats not found in gcMarkTermination's code; StackInuse, go.memory.used and the"
            + " runtime's pause total are off for this binary (report its Go version to add support)",
            "binary", b.elf().source(), "goVersion", b.goVersion());
      }
      return Optional.of(new Layout(l.gcController(), l.memStats(), memstats));
    });
  }

  private static OptionalLong locateMemstats(GoBinary binary, RuntimeLayout.MemStats layout) {
    try {
      return MemstatsLocator.linkAddress(binary, layout);
    } catch (GoBinaryException e) {
      LOG.debug("cannot decode the code that reveals runtime.memstats", "error", e.getMessage());
      return OptionalLong.empty();
    }
  }

  private static OptionalLong memstatsAddress(int pid, GoBinary binary, Layout layout) {
    if (layout.memstatsLink().isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(layout.memstatsLink().getAsLong() + LoadBias.of(pid, binary));
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot read the load address; runtime.memstats not read", "pid", pid, "error", e.getMessage());
      return OptionalLong.empty();
    }
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
      long c = t.controllerAddress();
      RuntimeLayout.GcController o = t.layout().gc();
      HeapState s =
          new HeapState(
              read(mem, c + o.heapInUse()),
              read(mem, c + o.heapReleased()),
              read(mem, c + o.heapFree()),
              (int) read(mem, c + o.gcPercent()),
              read(mem, c + o.memoryLimit()),
              read(mem, c + o.gcPercentHeapGoal()),
              read(mem, c + o.heapMarked()),
              read(mem, c + o.mappedReady()),
              t.memstatsAddress().isPresent()
                  ? Optional.of(memStats(mem, t.memstatsAddress().getAsLong(), t.layout().memStats()))
                  : Optional.empty(),
              System.nanoTime());
      latest.put(pid, s);
      return Optional.of(s);
    } catch (IOException e) {
      LOG.debug("heap sample failed; process gone?", "pid", pid, "error", e.getMessage());
      forget(pid);
      return Optional.empty();
    }
  }

  /** StackInuse as consistentHeapStats.unsafeRead sums it, and the runtime's pause total and cycle count. */
  private HeapState.MemStatsReading memStats(ProcessMemory mem, long base, RuntimeLayout.MemStats m)
      throws IOException {
    long stacks = 0;
    for (int g = 0; g < RuntimeLayout.HEAP_STATS_GENERATIONS; g++) {
      stacks += read(mem, base + m.heapStats() + (long) g * m.heapStatsDeltaSize() + m.heapStatsInStacks());
    }
    return new HeapState.MemStatsReading(
        stacks, read(mem, base + m.pauseTotalNs()), read(mem, base + m.numGc()) & 0xffff_ffffL);
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
