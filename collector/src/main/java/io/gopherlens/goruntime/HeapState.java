package io.gopherlens.goruntime;

/**
 * A Go process's heap as runtime.ReadMemStats would report it (Go 1.19-1.27 compute these
 * from gcController's sysMemStat counters): HeapInuse = heapInUse, HeapReleased =
 * heapReleased, HeapIdle = heapFree + heapReleased, HeapSys = all three.
 */
public record HeapState(long heapInUse, long heapReleased, long heapFree, long monotonicNanos) {
  public long heapIdle() {
    return heapFree + heapReleased;
  }

  public long heapSys() {
    return heapInUse + heapFree + heapReleased;
  }
}
