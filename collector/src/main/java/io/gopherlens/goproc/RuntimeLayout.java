package io.gopherlens.goproc;

import java.util.Optional;

/**
 * Byte offsets of the Go runtime fields that the heap telemetry and the map tracker read out of
 * a running process (x86-64). Every offset is from the start of the named runtime struct; the
 * width in brackets is how many bytes to read there (little-endian), and is checked against
 * DWARF whenever a layout is taken from it. Field names follow the runtime source
 * ({@code <goroot>/src/runtime}, {@code src/internal/runtime/maps}), the only authority.
 *
 * <p>Obtain one with {@link RuntimeLayouts#forBinary}. Exactly one of {@link #classicMaps} and
 * {@link #swissMaps} is present for a binary whose runtime has maps, per
 * {@link GoBinary#mapImplementation()}.
 */
public record RuntimeLayout(
    GcController gcController, MemStats memStats, Optional<ClassicMaps> classicMaps, Optional<SwissMaps> swissMaps) {

  /**
   * {@code runtime.consistentHeapStats.stats} is {@code [3]heapStatsDelta} in Go 1.19 to 1.27:
   * the in-flight generation plus two being merged. The test checks it against DWARF.
   */
  public static final int HEAP_STATS_GENERATIONS = 3;

  /**
   * {@code runtime.gcControllerState}, the type of the global {@code runtime.gcController}.
   * All fields exist under these names from Go 1.19 to 1.27; by 1.22 two paddings were gone and
   * {@code consMarkController} had become {@code lastConsMark}, so offsets differ from 1.19.
   * Atomic wrappers ({@code atomic.Int32}, {@code atomic.Uint64}, ...) hold their value at their
   * own offset 0, and {@code sysMemStat} is a plain uint64.
   *
   * <p>ReadMemStats fields computed from these (readmemstats_m, mstats.go):
   * <ul>
   *   <li>HeapInuse = heapInUse; HeapReleased = heapReleased;
   *   <li>HeapIdle = heapFree + heapReleased; HeapSys = heapInUse + heapFree + heapReleased;
   *   <li>TotalAlloc = totalAlloc; HeapAlloc = Alloc = totalAlloc - totalFree. ReadMemStats first
   *       flushes every P's mcache, which adds the objects of spans still cached; read from
   *       outside, these two lag by at most the partly used span per size class per P.
   *   <li>NextGC = heapGoal() (mgcpacer.go heapGoalInternal):
   *       {@code goal = gcPercentHeapGoal; lim = memoryLimitHeapGoal();}
   *       {@code if lim < goal: goal = lim} else {@code goal = max(goal, sweepDistMinTrigger);}
   *       {@code if triggered != ^0 && goal < triggered + 64 KiB: goal = triggered + 64 KiB}.
   *       memoryLimitHeapGoal uses memoryLimit, mappedReady, heapFree, totalAlloc - totalFree
   *       and heapMarked, minus a headroom of 1 MiB (1.19) or max(3% of the goal, 1 MiB) (1.22+);
   *       with GOMEMLIMIT unset (math.MaxInt64) NextGC is the GOGC branch.
   * </ul>
   *
   * @param gcPercent GOGC [4] ({@code go.config.gogc}; not in MemStats)
   * @param memoryLimit GOMEMLIMIT [8] ({@code go.memory.limit}; not in MemStats)
   * @param gcPercentHeapGoal heap goal from GOGC alone [8], NextGC input
   * @param sweepDistMinTrigger [8], NextGC input
   * @param triggered heapLive when this cycle triggered, ^0 before the first [8], NextGC input
   * @param heapLive bytes marked by the last cycle plus allocated since [8] (not in MemStats)
   * @param heapMarked bytes marked by the last cycle [8], NextGC input (/gc/heap/live:bytes)
   * @param heapInUse bytes in in-use spans [8], HeapInuse
   * @param heapReleased bytes returned to the OS [8], HeapReleased
   * @param heapFree free spans not returned to the OS [8], HeapIdle - HeapReleased
   * @param totalAlloc cumulative bytes allocated [8], TotalAlloc
   * @param totalFree cumulative bytes freed [8], TotalAlloc - HeapAlloc
   * @param mappedReady mapped memory in the Ready state [8], NextGC input under a memory limit
   */
  public record GcController(int gcPercent, int memoryLimit, int gcPercentHeapGoal, int sweepDistMinTrigger,
      int triggered, int heapLive, int heapMarked, int heapInUse, int heapReleased, int heapFree, int totalAlloc,
      int totalFree, int mappedReady) {}

  /**
   * {@code runtime.mstats}, the type of the global {@code runtime.memstats} (Go 1.19 to 1.27;
   * by 1.27 heapStatsDelta.inPtrScalarBits is gone, which moves everything after heapStats by
   * 3 x 8 bytes).
   *
   * <p>StackInuse = the sum over {@link #HEAP_STATS_GENERATIONS} generations g of the int64 at
   * {@code heapStats + g * heapStatsDeltaSize + heapStatsInStacks} (consistentHeapStats.unsafeRead;
   * the runtime sums under stop-the-world, so a read from outside can be one update stale).
   * StackSys = StackInuse + stacksSys.
   *
   * @param heapStats offset of the consistentHeapStats (its stats array starts at its offset 0)
   * @param heapStatsDeltaSize size of runtime.heapStatsDelta, the array stride
   * @param heapStatsInStacks heapStatsDelta.inStacks [8], StackInuse
   * @param stacksSys stacks_sys [8], StackSys - StackInuse
   * @param lastGcUnix last_gc_unix [8], LastGC
   * @param pauseTotalNs pause_total_ns [8], PauseTotalNs
   * @param pauseNs pause_ns [256 x 8], PauseNs (circular, index (numgc+255)%256 is the latest)
   * @param pauseEnd pause_end [256 x 8], PauseEnd
   * @param numGc numgc [4], NumGC
   * @param numForcedGc numforcedgc [4], NumForcedGC
   * @param gcCpuFraction gc_cpu_fraction [8, float64], GCCPUFraction
   */
  public record MemStats(int heapStats, int heapStatsDeltaSize, int heapStatsInStacks, int stacksSys, int lastGcUnix,
      int pauseTotalNs, int pauseNs, int pauseEnd, int numGc, int numForcedGc, int gcCpuFraction) {}

  /**
   * Bucket-array maps: {@code runtime.hmap} and {@code runtime.mapextra} (Go 1.19 to 1.23, and
   * 1.24 built with GOEXPERIMENT=noswissmap, whose hmap gained {@code clearSeq} before
   * {@code extra}). The map type is {@code runtime.maptype} in 1.19 (lower-case fields),
   * {@code internal/abi.MapType} in 1.22 and 1.23, {@code internal/abi.OldMapType} in 1.24.
   * Retained bytes = 2^B * bucketsize (+ the old array while growing, + overflow buckets).
   *
   * @param hmapCount count [8]: live entries (len)
   * @param hmapFlags flags [1]
   * @param hmapB B [1]: log2 of the bucket count
   * @param hmapNoverflow noverflow [2]: approximate overflow bucket count
   * @param hmapHash0 hash0 [4]
   * @param hmapBuckets buckets [8]
   * @param hmapOldbuckets oldbuckets [8]: non-nil while growing
   * @param hmapNevacuate nevacuate [8]
   * @param hmapExtra extra [8]: *mapextra
   * @param mapextraOverflow overflow [8]: *[]*bmap
   * @param mapextraOldoverflow oldoverflow [8]: *[]*bmap
   * @param mapextraNextOverflow nextOverflow [8]: *bmap
   * @param maptypeKey key [8]: *abi.Type
   * @param maptypeElem elem [8]: *abi.Type
   * @param maptypeBucket bucket [8]: *abi.Type
   * @param maptypeKeySize keysize / KeySize [1]
   * @param maptypeValueSize elemsize / ValueSize [1]
   * @param maptypeBucketSize bucketsize / BucketSize [2]
   */
  public record ClassicMaps(int hmapSize, int hmapCount, int hmapFlags, int hmapB, int hmapNoverflow, int hmapHash0,
      int hmapBuckets, int hmapOldbuckets, int hmapNevacuate, int hmapExtra, int mapextraSize, int mapextraOverflow,
      int mapextraOldoverflow, int mapextraNextOverflow, int maptypeKey, int maptypeElem, int maptypeBucket,
      int maptypeKeySize, int maptypeValueSize, int maptypeBucketSize) {}

  /**
   * Swiss-table maps: {@code internal/runtime/maps.Map} and {@code .table} (Go 1.24+). With
   * {@code dirLen == 0} the map is small and {@code dirPtr} points at one group; otherwise at
   * {@code dirLen} *table entries (several may point at the same table). Retained bytes =
   * sum over distinct tables of (lengthMask + 1) * GroupSize, or one GroupSize when small.
   * The map type is {@code internal/abi.SwissMapType} in 1.24 and {@code internal/abi.MapType}
   * in 1.27 (the classic type of that name is gone), where SlotSize became KeyStride.
   *
   * @param mapUsed used [8]: live entries
   * @param mapSeed seed [8]
   * @param mapDirPtr dirPtr [8]
   * @param mapDirLen dirLen [8]
   * @param mapGlobalDepth globalDepth [1]
   * @param mapGlobalShift globalShift [1]
   * @param mapWriting writing [1]
   * @param mapClearSeq clearSeq [8]
   * @param tableUsed used [2]
   * @param tableCapacity capacity [2]: slots
   * @param tableGrowthLeft growthLeft [2]
   * @param tableLocalDepth localDepth [1]
   * @param tableIndex index [8]
   * @param tableGroupsData groups.data [8]: the group array
   * @param tableGroupsLengthMask groups.lengthMask [8]: group count - 1
   * @param maptypeKey Key [8]
   * @param maptypeElem Elem [8]
   * @param maptypeGroup Group [8]: *abi.Type of one group
   * @param maptypeGroupSize GroupSize [8]
   * @param maptypeKeyStride SlotSize (1.24) / KeyStride (1.27) [8]: bytes between keys in a group
   */
  public record SwissMaps(int mapSize, int mapUsed, int mapSeed, int mapDirPtr, int mapDirLen, int mapGlobalDepth,
      int mapGlobalShift, int mapWriting, int mapClearSeq, int tableSize, int tableUsed, int tableCapacity,
      int tableGrowthLeft, int tableLocalDepth, int tableIndex, int tableGroupsData, int tableGroupsLengthMask,
      int maptypeKey, int maptypeElem, int maptypeGroup, int maptypeGroupSize, int maptypeKeyStride) {}
}
