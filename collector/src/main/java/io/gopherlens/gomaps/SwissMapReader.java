package io.gopherlens.gomaps;

import io.gopherlens.goproc.GoBinary;
import io.gopherlens.goproc.RuntimeLayout;
import io.gopherlens.goruntime.ProcessMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Swiss-table maps (internal/runtime/maps, Go 1.24 and later). A small map (dirLen 0) is one
 * group of 8 slots at dirPtr; a large one has a directory of 2^globalDepth table pointers, where
 * a table of localDepth d fills 2^(globalDepth - d) consecutive entries. Capacity and storage
 * are summed over distinct tables, as Map.Clear walks them.
 */
final class SwissMapReader extends MapReader {
  static final int GROUP_SLOTS = 8;
  /** table.capacity is a power of two from 8 to maxTableCapacity (table.go). */
  private static final int MAX_TABLE_CAPACITY = 1024;
  /** 2^20 tables of 1024 slots is a billion entries: a longer directory is not a live map. */
  private static final int MAX_GLOBAL_DEPTH = 20;
  /** Keys and elems above 128 bytes are stored indirectly: 8 slots of at most 256 bytes. */
  private static final long MAX_GROUP = 8 + GROUP_SLOTS * 256;

  private final RuntimeLayout.SwissMaps l;

  SwissMapReader(RuntimeLayout.SwissMaps layout, HeapFootprint footprint) {
    super(footprint);
    this.l = layout;
  }

  @Override
  public String implementation() {
    return GoBinary.MAPS_SWISS;
  }

  @Override
  public MapType readType(ProcessMemory mem, long address) throws MapReadException {
    ByteBuffer t = read(mem, address, l.maptypeGroupSize() + 8, "map type");
    long groupSize = t.getLong(l.maptypeGroupSize());
    long[] group = typeSizeAndPtrBytes(mem, t.getLong(l.maptypeGroup()), "group type");
    // A group is a control word followed by 8 slots.
    if (group[0] != groupSize || groupSize < 8 || (groupSize - 8) % GROUP_SLOTS != 0) {
      throw new MapReadException(MapReadException.Reason.INCONSISTENT, "no map type at 0x" + Long.toHexString(address)
          + ": group size " + groupSize + ", group type size " + group[0]);
    }
    return new MapType(address, groupSize, group[1] != 0);
  }

  /** owned_bytes is entries x (GroupSize / 8): a group is 8 slots and one control byte per slot. */
  @Override
  public Optional<MapType> typeFromGrowth(int log2Capacity, long ownedBytes, long entries) {
    if (entries <= 0 || ownedBytes <= 0 || ownedBytes % entries != 0) {
      return Optional.empty();
    }
    long groupSize = ownedBytes / entries * GROUP_SLOTS;
    return groupSize >= 16 ? Optional.of(new MapType(0, groupSize, false)) : Optional.empty();
  }

  @Override
  public MapState read(ProcessMemory mem, long address, Optional<MapType> type) throws MapReadException {
    ByteBuffer m = read(mem, address, l.mapSize(), "maps.Map");
    long used = m.getLong(l.mapUsed());
    long seed = m.getLong(l.mapSeed());
    long dirPtr = m.getLong(l.mapDirPtr());
    long dirLen = m.getLong(l.mapDirLen());
    int globalDepth = m.get(l.mapGlobalDepth()) & 0xff;
    int globalShift = m.get(l.mapGlobalShift()) & 0xff;
    if (used < 0) {
      throw inconsistent(address, "used " + used);
    }
    long mapBytes = footprint.of(l.mapSize(), true);
    if (dirLen == 0) {
      if (used > GROUP_SLOTS || used > 0 && dirPtr == 0) {
        throw inconsistent(address, "small map with " + used + " entries and group 0x" + Long.toHexString(dirPtr));
      }
      if (dirPtr != 0 && controlFull(read(mem, dirPtr, 8, "group").getLong(0), false) != used) {
        throw inconsistent(address, "small map of " + used + " entries whose group control word does not match");
      }
      long capacity = dirPtr == 0 ? 0 : GROUP_SLOTS;
      long bytes = type.map(t -> mapBytes + (dirPtr == 0 ? 0 : footprint.of(t.unitSize(), t.pointers())))
          .orElse(-1L);
      return new MapState(used, capacity, 0, bytes, seed, dirPtr, false);
    }
    if (globalDepth > MAX_GLOBAL_DEPTH || dirLen != 1L << globalDepth || globalShift != 64 - globalDepth
        || dirPtr == 0) {
      throw inconsistent(address, "directory of " + dirLen + " at 0x" + Long.toHexString(dirPtr) + " with globalDepth "
          + globalDepth + ", globalShift " + globalShift);
    }
    ByteBuffer dir = read(mem, dirPtr, (int) dirLen * 8, "directory");
    Pages pages = new Pages(mem);
    long capacity = 0;
    long tables = 0;
    // Tables by log2 of their group count (1 to 128 groups), for the allocator's rounding.
    long[] tablesByGroupsLog2 = new long[Integer.numberOfTrailingZeros(MAX_TABLE_CAPACITY / GROUP_SLOTS) + 1];
    long last = 0;
    for (int i = 0; i < dirLen; i++) {
      long table = dir.getLong(i * 8);
      if (table == last) {
        continue;
      }
      last = table;
      ByteBuffer t = pages.read(table, l.tableSize());
      int tableCapacity = t.getShort(l.tableCapacity()) & 0xffff;
      int tableUsed = t.getShort(l.tableUsed()) & 0xffff;
      int localDepth = t.get(l.tableLocalDepth()) & 0xff;
      long lengthMask = t.getLong(l.tableGroupsLengthMask());
      if (Integer.bitCount(tableCapacity) != 1 || tableCapacity < GROUP_SLOTS || tableCapacity > MAX_TABLE_CAPACITY
          || lengthMask + 1 != tableCapacity / GROUP_SLOTS || tableUsed > tableCapacity || localDepth > globalDepth
          || t.getLong(l.tableGroupsData()) == 0) {
        throw inconsistent(address, "table " + i + " at 0x" + Long.toHexString(table) + ": capacity " + tableCapacity
            + ", used " + tableUsed + ", localDepth " + localDepth + ", lengthMask " + lengthMask);
      }
      capacity += tableCapacity;
      tablesByGroupsLog2[Long.numberOfTrailingZeros(lengthMask + 1)]++;
      tables++;
    }
    if (used > capacity) {
      throw inconsistent(address, "used " + used + " above the tables' capacity " + capacity);
    }
    long tableCount = tables;
    long bytes = type.map(t -> {
      long sum = mapBytes + footprint.of(dirLen * 8, true) + tableCount * footprint.of(l.tableSize(), true);
      for (int log2 = 0; log2 < tablesByGroupsLog2.length; log2++) {
        sum += tablesByGroupsLog2[log2] * footprint.of((1L << log2) * t.unitSize(), t.pointers());
      }
      return sum;
    }).orElse(-1L);
    return new MapState(used, capacity, 0, bytes, seed, dirPtr, false);
  }

  @Override
  public Optional<MapType> inferType(ProcessMemory mem, long address) throws MapReadException {
    ByteBuffer m = read(mem, address, l.mapSize(), "maps.Map");
    long dirPtr = m.getLong(l.mapDirPtr());
    long dirLen = m.getLong(l.mapDirLen());
    if (dirLen <= 0 || dirLen > 1L << MAX_GLOBAL_DEPTH || dirPtr == 0) {
      return Optional.empty(); // small maps own one group: never large enough to matter
    }
    ByteBuffer dir = read(mem, dirPtr, (int) dirLen * 8, "directory");
    ByteBuffer largest = null;
    Pages pages = new Pages(mem);
    long last = 0;
    for (int i = 0; i < dirLen; i++) {
      long table = dir.getLong(i * 8);
      if (table != last) {
        ByteBuffer t = pages.read(table, l.tableSize());
        if (largest == null || (t.getShort(l.tableCapacity()) & 0xffff) > (largest.getShort(l.tableCapacity()) & 0xffff)) {
          largest = t;
        }
        last = table;
      }
    }
    return largest == null ? Optional.empty() : inferGroupSize(mem, largest);
  }

  /**
   * Without the map type, the group size is the one stride at which every group of a table
   * starts with a valid control word (each byte empty 0x80, deleted 0xFE, or full with the high
   * bit clear) and the full bytes number table.used. Any other stride lands in slot data; an
   * ambiguous table gives no size.
   */
  private Optional<MapType> inferGroupSize(ProcessMemory mem, ByteBuffer table) throws MapReadException {
    int groups = (int) table.getLong(l.tableGroupsLengthMask()) + 1;
    int used = table.getShort(l.tableUsed()) & 0xffff;
    ByteBuffer data;
    try {
      data = read(mem, table.getLong(l.tableGroupsData()), (int) (groups * MAX_GROUP), "groups");
    } catch (MapReadException e) {
      return Optional.empty(); // the largest stride runs past mapped memory: no guess
    }
    Optional<MapType> found = Optional.empty();
    for (long size = 16; size <= MAX_GROUP; size += 8) {
      int full = 0;
      for (int g = 0; g < groups && full >= 0; g++) {
        int f = controlFull(data.getLong((int) (g * size)), true);
        full = f < 0 ? -1 : full + f;
      }
      if (full == used) {
        if (found.isPresent()) {
          return Optional.empty();
        }
        found = Optional.of(new MapType(0, size, false));
      }
    }
    return found;
  }

  /**
   * A small map's group never has deleted slots: each control byte is empty (0x80) or full
   * (high bit clear), so the full ones must number Map.used (group.go ctrlEmpty, ctrlDeleted).
   */
  /** Full slots in a control word, or -1 if a byte is neither empty, full nor an allowed deleted. */
  private static int controlFull(long ctrl, boolean deletedAllowed) {
    int full = 0;
    for (int i = 0; i < GROUP_SLOTS; i++) {
      int c = (int) (ctrl >>> (8 * i)) & 0xff;
      if (c == 0x80 || deletedAllowed && c == 0xfe) {
        continue;
      }
      if ((c & 0x80) != 0) {
        return -1;
      }
      full++;
    }
    return full;
  }

  /**
   * Tables are small objects packed in the same spans, so a large map's thousands of tables sit
   * on a few pages: reading whole pages takes one read per page instead of one per table.
   */
  private static final class Pages {
    private static final int PAGE = 4096;
    /** 1 MiB of pages at most; tables beyond are read one by one. */
    private static final int MAX_PAGES = 256;
    private final ProcessMemory mem;
    private final Map<Long, ByteBuffer> pages = new HashMap<>();

    Pages(ProcessMemory mem) {
      this.mem = mem;
    }

    ByteBuffer read(long address, int size) throws MapReadException {
      long page = address & -PAGE;
      int offset = (int) (address - page);
      if (offset + size > PAGE || pages.size() >= MAX_PAGES && !pages.containsKey(page)) {
        return MapReader.read(mem, address, size, "table");
      }
      ByteBuffer p = pages.get(page);
      if (p == null) {
        p = MapReader.read(mem, page, PAGE, "table page");
        pages.put(page, p);
      }
      return p.slice(offset, size).order(ByteOrder.LITTLE_ENDIAN);
    }
  }
}
