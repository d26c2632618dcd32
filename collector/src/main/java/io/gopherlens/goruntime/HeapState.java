package io.gopherlens.goruntime;

import java.util.Optional;

/**
 * A Go process's heap as runtime.ReadMemStats would report it (Go 1.19-1.27 compute these
 * from gcController's sysMemStat counters): HeapInuse = heapInUse, HeapReleased =
 * heapReleased, HeapIdle = heapFree + heapReleased, HeapSys = all three. Also the pacer's
 * settings: GOGC (negative when off), GOMEMLIMIT, the heap goal from GOGC, and the live heap
 * marked by the last cycle; and mappedReady, which the runtime keeps equal to Sys - HeapReleased
 * (readmemstats_m checks it), the memory semantic conventions call go.memory.used.
 *
 * @param memStats what runtime.memstats holds, when its address is known
 */
public record HeapState(
    long heapInUse,
    long heapReleased,
    long heapFree,
    int gcPercent,
    long memoryLimit,
    long gcPercentHeapGoal,
    long heapMarked,
    long mappedReady,
    Optional<MemStatsReading> memStats,
    long monotonicNanos) {

  /**
   * From runtime.memstats: StackInuse (stack spans, summed over the consistent-stats
   * generations), and the runtime's own PauseTotalNs and NumGC, exact where probes can only
   * time the stop-the-world calls from outside.
   */
  public record MemStatsReading(long stackInUse, long pauseTotalNanos, long gcCount) {}

  /**
   * ReadMemStats' NextGC: the GOGC goal unless the memory limit lowers it (then the runtime
   * computes a smaller goal this agent does not reproduce, and the GOGC goal is an upper bound).
   */
  public long heapGoal() {
    return gcPercentHeapGoal;
  }

  public long heapIdle() {
    return heapFree + heapReleased;
  }

  public long heapSys() {
    return heapInUse + heapFree + heapReleased;
  }
}
