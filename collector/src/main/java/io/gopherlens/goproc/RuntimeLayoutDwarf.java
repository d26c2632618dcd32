package io.gopherlens.goproc;

import java.util.List;
import java.util.Optional;

/**
 * Builds a {@link RuntimeLayout} from a binary's own DWARF. Besides each offset, the width of
 * every field is checked against what the readers of the layout assume, so a future runtime
 * that widens a field is refused (and falls back or reports unsupported) instead of being read
 * wrong.
 */
final class RuntimeLayoutDwarf {
  /**
   * The DWARF describes a runtime the layout does not fit: a field is missing (Go 1.18 and
   * older lack several) or has another width.
   */
  static final class Mismatch extends Exception {
    private static final long serialVersionUID = 1L;

    Mismatch(String message) {
      super(message);
    }
  }

  static final String GC_CONTROLLER = "runtime.gcControllerState";
  static final String MSTATS = "runtime.mstats";
  static final String HEAP_STATS_DELTA = "runtime.heapStatsDelta";
  static final String CONSISTENT_HEAP_STATS = "runtime.consistentHeapStats";
  static final String HMAP = "runtime.hmap";
  static final String MAPEXTRA = "runtime.mapextra";
  static final String SWISS_MAP = "internal/runtime/maps.Map";
  static final String SWISS_TABLE = "internal/runtime/maps.table";
  static final String SWISS_GROUPS = "internal/runtime/maps.groupsReference";
  // Oldest first. "internal/abi.MapType" is the classic type in 1.22-1.23 and the Swiss one in
  // 1.27, so candidates are told apart by their Bucket or Group field.
  static final List<String> CLASSIC_MAP_TYPES = List.of("runtime.maptype", "internal/abi.MapType",
      "internal/abi.OldMapType");
  static final List<String> SWISS_MAP_TYPES = List.of("internal/abi.SwissMapType", "internal/abi.MapType");

  private RuntimeLayoutDwarf() {}

  /** The layout for a binary whose maps are {@code mapImplementation} (GoBinary.MAPS_*). */
  static RuntimeLayout extract(DwarfReader dwarf, String mapImplementation) throws Mismatch {
    boolean swiss = GoBinary.MAPS_SWISS.equals(mapImplementation);
    return new RuntimeLayout(
        gcController(dwarf),
        memStats(dwarf),
        swiss ? Optional.empty() : classicMaps(dwarf),
        swiss ? swissMaps(dwarf) : Optional.empty());
  }

  static RuntimeLayout.GcController gcController(DwarfReader dwarf) throws Mismatch {
    DwarfStruct c = required(dwarf, GC_CONTROLLER);
    return new RuntimeLayout.GcController(
        field(c, 4, "gcPercent"),
        field(c, 8, "memoryLimit"),
        field(c, 8, "gcPercentHeapGoal"),
        field(c, 8, "sweepDistMinTrigger"),
        field(c, 8, "triggered"),
        field(c, 8, "heapLive"),
        field(c, 8, "heapMarked"),
        field(c, 8, "heapInUse"),
        field(c, 8, "heapReleased"),
        field(c, 8, "heapFree"),
        field(c, 8, "totalAlloc"),
        field(c, 8, "totalFree"),
        field(c, 8, "mappedReady"));
  }

  static RuntimeLayout.MemStats memStats(DwarfReader dwarf) throws Mismatch {
    DwarfStruct m = required(dwarf, MSTATS);
    DwarfStruct delta = required(dwarf, HEAP_STATS_DELTA);
    DwarfStruct consistent = required(dwarf, CONSISTENT_HEAP_STATS);
    int statsArray = field(consistent, delta.byteSize() * RuntimeLayout.HEAP_STATS_GENERATIONS, "stats");
    if (statsArray != 0) {
      throw new Mismatch(CONSISTENT_HEAP_STATS + ".stats is at offset " + statsArray + ", not 0");
    }
    return new RuntimeLayout.MemStats(
        field(m, consistent.byteSize(), "heapStats"),
        toInt(delta.byteSize(), HEAP_STATS_DELTA),
        field(delta, 8, "inStacks"),
        field(m, 8, "stacks_sys"),
        field(m, 8, "last_gc_unix"),
        field(m, 8, "pause_total_ns"),
        field(m, 256 * 8, "pause_ns"),
        field(m, 256 * 8, "pause_end"),
        field(m, 4, "numgc"),
        field(m, 4, "numforcedgc"),
        field(m, 8, "gc_cpu_fraction"));
  }

  static Optional<RuntimeLayout.ClassicMaps> classicMaps(DwarfReader dwarf) throws Mismatch {
    Optional<DwarfStruct> hmap = dwarf.struct(HMAP);
    Optional<DwarfStruct> type = firstWith(dwarf, CLASSIC_MAP_TYPES, "Bucket", "bucket");
    if (hmap.isEmpty() || type.isEmpty()) {
      return Optional.empty(); // a runtime built without classic maps
    }
    DwarfStruct h = hmap.get();
    DwarfStruct x = required(dwarf, MAPEXTRA);
    DwarfStruct t = type.get();
    return Optional.of(new RuntimeLayout.ClassicMaps(
        toInt(h.byteSize(), HMAP),
        field(h, 8, "count"),
        field(h, 1, "flags"),
        field(h, 1, "B"),
        field(h, 2, "noverflow"),
        field(h, 4, "hash0"),
        field(h, 8, "buckets"),
        field(h, 8, "oldbuckets"),
        field(h, 8, "nevacuate"),
        field(h, 8, "extra"),
        toInt(x.byteSize(), MAPEXTRA),
        field(x, 8, "overflow"),
        field(x, 8, "oldoverflow"),
        field(x, 8, "nextOverflow"),
        field(t, 8, "Key", "key"),
        field(t, 8, "Elem", "elem"),
        field(t, 8, "Bucket", "bucket"),
        field(t, 1, "KeySize", "keysize"),
        field(t, 1, "ValueSize", "elemsize"),
        field(t, 2, "BucketSize", "bucketsize")));
  }

  static Optional<RuntimeLayout.SwissMaps> swissMaps(DwarfReader dwarf) throws Mismatch {
    Optional<DwarfStruct> map = dwarf.struct(SWISS_MAP);
    Optional<DwarfStruct> type = firstWith(dwarf, SWISS_MAP_TYPES, "Group");
    if (map.isEmpty() || type.isEmpty()) {
      return Optional.empty();
    }
    DwarfStruct m = map.get();
    DwarfStruct tb = required(dwarf, SWISS_TABLE);
    DwarfStruct g = required(dwarf, SWISS_GROUPS);
    DwarfStruct t = type.get();
    int groups = field(tb, g.byteSize(), "groups");
    return Optional.of(new RuntimeLayout.SwissMaps(
        toInt(m.byteSize(), SWISS_MAP),
        field(m, 8, "used"),
        field(m, 8, "seed"),
        field(m, 8, "dirPtr"),
        field(m, 8, "dirLen"),
        field(m, 1, "globalDepth"),
        field(m, 1, "globalShift"),
        field(m, 1, "writing"),
        field(m, 8, "clearSeq"),
        toInt(tb.byteSize(), SWISS_TABLE),
        field(tb, 2, "used"),
        field(tb, 2, "capacity"),
        field(tb, 2, "growthLeft"),
        field(tb, 1, "localDepth"),
        field(tb, 8, "index"),
        groups + field(g, 8, "data"),
        groups + field(g, 8, "lengthMask"),
        field(t, 8, "Key"),
        field(t, 8, "Elem"),
        field(t, 8, "Group"),
        field(t, 8, "GroupSize"),
        field(t, 8, "KeyStride", "SlotSize")));
  }

  private static DwarfStruct required(DwarfReader dwarf, String name) throws Mismatch {
    return dwarf.struct(name).orElseThrow(() -> new Mismatch("no struct " + name + " in DWARF"));
  }

  /** The first candidate struct that exists and has one of the {@code marker} fields. */
  private static Optional<DwarfStruct> firstWith(DwarfReader dwarf, List<String> candidates, String... marker) {
    for (String name : candidates) {
      Optional<DwarfStruct> s = dwarf.struct(name);
      if (s.isPresent()) {
        for (String m : marker) {
          if (s.get().member(m).isPresent()) {
            return s;
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Offset of the first of {@code names} that {@code s} has, which must be {@code width} bytes. */
  private static int field(DwarfStruct s, long width, String... names) throws Mismatch {
    for (String name : names) {
      Optional<DwarfMember> m = s.member(name);
      if (m.isPresent()) {
        if (m.get().size() != width) {
          throw new Mismatch(s.name() + "." + name + " is " + m.get().size() + " bytes in DWARF; the layout reads "
              + width);
        }
        if (m.get().offset() + width > s.byteSize()) {
          throw new Mismatch(s.name() + "." + name + " at offset " + m.get().offset() + " does not fit in the "
              + s.byteSize() + "-byte struct");
        }
        return toInt(m.get().offset(), s.name() + "." + name);
      }
    }
    throw new Mismatch(s.name() + " has no field " + String.join(" or ", names));
  }

  private static int toInt(long v, String what) throws Mismatch {
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new Mismatch(what + " has offset or size " + v);
    }
    return (int) v;
  }
}
