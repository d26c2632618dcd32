package io.gopherlens.gomaps;

import io.gopherlens.goproc.ElfSection;
import io.gopherlens.goproc.ElfSegment;
import io.gopherlens.goproc.GoBinary;
import io.gopherlens.goruntime.ProcessMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the maps that grew before anyone watched: package-level map variables and maps held in
 * a field of an object that a package-level pointer refers to (var cache = &Cache{m: ...}).
 * Scans the words of .data and .bss for pointers into the process's anonymous writable memory
 * (the Go heap), and, one level down, the first words of the objects they point to; a
 * candidate counts only if it reads as a consistent map header with real storage. Maps reachable
 * only through deeper chains, stacks or slices are not found: those appear when they next grow.
 */
public final class GlobalMaps {
  /** A map found by the scan, and which global led to it. */
  public record Found(long address, String where) {}

  /** Words read from each object a global points to (struct fields up to 8 words in). */
  private static final int OBJECT_WORDS = 8;
  /** Sections larger than this are scanned only up to it (bounds the scan's cost). */
  private static final int MAX_SECTION = 64 << 20;
  private static final int CHUNK = 64 << 10;

  private GlobalMaps() {}

  /** Maps with at least {@code minCapacity} slots reachable from the globals of {@code pid}. */
  public static List<Found> scan(int pid, GoBinary binary, MapReader reader, ProcessMemory mem, long minCapacity)
      throws IOException {
    List<long[]> heap = anonymousWritable(pid);
    long bias = loadBias(pid, binary);
    Map<Long, Found> found = new LinkedHashMap<>();
    // Two passes: a map a global names directly is named by it, even when an object that an
    // earlier global points to also refers to it.
    forEachHeapPointer(binary, mem, heap, bias, (p, global) -> consider(reader, mem, heap, p, global, minCapacity, found));
    forEachHeapPointer(binary, mem, heap, bias, (p, global) -> fields(reader, mem, heap, p, global, minCapacity, found));
    return new ArrayList<>(found.values());
  }

  private interface PointerVisitor {
    void visit(long pointer, String global);
  }

  /** Every word of .data and .bss that points into the heap, with the global's name. */
  private static void forEachHeapPointer(GoBinary binary, ProcessMemory mem, List<long[]> heap, long bias,
      PointerVisitor visitor) throws IOException {
    for (String name : List.of(".data", ".bss")) {
      Optional<ElfSection> section = binary.elf().section(name);
      if (section.isEmpty()) {
        continue;
      }
      long start = section.get().addr() + bias;
      long size = Math.min(section.get().size(), MAX_SECTION);
      for (long off = 0; off < size; off += CHUNK) {
        int n = (int) Math.min(CHUNK, size - off) & ~7;
        ByteBuffer words = mem.read(start + off, ByteBuffer.allocate(n));
        for (int i = 0; i < n; i += 8) {
          long p = words.getLong(i);
          if (inside(heap, p)) {
            visitor.visit(p, "global 0x" + Long.toHexString(start + off + i - bias));
          }
        }
      }
    }
  }

  private static void fields(MapReader reader, ProcessMemory mem, List<long[]> heap, long object, String global,
      long minCapacity, Map<Long, Found> found) {
    ByteBuffer words;
    try {
      words = mem.read(object, ByteBuffer.allocate(OBJECT_WORDS * 8));
    } catch (IOException e) {
      return;
    }
    for (int j = 0; j < OBJECT_WORDS; j++) {
      long q = words.getLong(j * 8);
      if (inside(heap, q)) {
        consider(reader, mem, heap, q, "field " + j + " of the object at " + global, minCapacity, found);
      }
    }
  }

  private static void consider(MapReader reader, ProcessMemory mem, List<long[]> heap, long address, String where,
      long minCapacity, Map<Long, Found> found) {
    if (found.containsKey(address) || (address & 7) != 0) {
      return;
    }
    try {
      MapState s = reader.read(mem, address, Optional.empty());
      // Random heap words can pass the header checks; a real map's storage also fits, at its
      // smallest possible size, inside the heap mapping that holds it.
      if (s.capacity() >= minCapacity && s.storage() != 0 && fits(heap, s.storage(), s.bytesAtLeast())) {
        found.put(address, new Found(address, where));
      }
    } catch (MapReadException e) {
      // not a map: most heap pointers are not
    }
  }

  private static boolean fits(List<long[]> ranges, long start, long size) {
    for (long[] r : ranges) {
      if (start >= r[0] && start < r[1]) {
        return size <= r[1] - start;
      }
    }
    return false;
  }

  private static boolean inside(List<long[]> ranges, long p) {
    for (long[] r : ranges) {
      if (p >= r[0] && p < r[1]) {
        return true;
      }
    }
    return false;
  }

  /** Anonymous read-write memory from /proc/PID/maps, adjacent mappings merged: where the Go heap lives. */
  static List<long[]> anonymousWritable(int pid) throws IOException {
    List<long[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "maps"))) {
      String[] f = line.trim().split("\\s+", 6);
      if (f.length >= 5 && f[1].startsWith("rw") && (f.length == 5 || f[5].isBlank())) {
        String[] range = f[0].split("-");
        long start = Long.parseUnsignedLong(range[0], 16);
        long end = Long.parseUnsignedLong(range[1], 16);
        if (!out.isEmpty() && out.get(out.size() - 1)[1] == start) {
          out.get(out.size() - 1)[1] = end; // the kernel splits the Go heap into adjacent mappings
        } else {
          out.add(new long[] {start, end});
        }
      }
    }
    return out;
  }

  /** Runtime minus link-time addresses: 0 unless PIE, then from the executable's first mapping. */
  static long loadBias(int pid, GoBinary binary) throws IOException {
    if (!binary.pie()) {
      return 0;
    }
    long firstLoad = binary.elf().segments().stream().filter(ElfSegment::load).mapToLong(ElfSegment::vaddr).min()
        .orElse(0) & ~0xfffL;
    String exe = Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "exe")).toString();
    for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "maps"))) {
      String[] f = line.trim().split("\\s+", 6);
      if (f.length == 6 && f[5].startsWith(exe) && Long.parseUnsignedLong(f[2], 16) == 0) {
        return Long.parseUnsignedLong(f[0].split("-")[0], 16) - firstLoad;
      }
    }
    throw new IOException("pid " + pid + ": no mapping of " + exe + " in /proc/" + pid + "/maps");
  }
}
