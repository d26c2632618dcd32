package io.gopherlens.gomaps;

import io.gopherlens.goproc.GoBinary;
import io.gopherlens.goproc.GoVersion;
import io.gopherlens.goproc.RuntimeLayoutResult;
import io.gopherlens.goproc.RuntimeLayouts;
import io.gopherlens.goruntime.ProcessMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Reads Go maps of one binary's runtime out of process memory, with the offsets of its
 * {@link io.gopherlens.goproc.RuntimeLayout} (DWARF or the per-version table). The map header
 * does not name its type, so bucket and group sizes come from the map type the growth probe
 * reports ({@link #readType}, {@link #typeFromGrowth}) or from the storage itself
 * ({@link #inferType}); without one, {@link MapState#bytes()} is -1.
 */
public abstract sealed class MapReader permits ClassicMapReader, SwissMapReader {
  /** abi.Type (runtime._type in 1.19) starts with Size_ and PtrBytes in Go 1.19 to 1.27. */
  static final int TYPE_SIZE = 0;
  static final int TYPE_PTR_BYTES = 8;

  final HeapFootprint footprint;

  MapReader(HeapFootprint footprint) {
    this.footprint = footprint;
  }

  /** The reader for a binary, or why its maps cannot be read. */
  public static Result forBinary(GoBinary binary) {
    RuntimeLayoutResult layout = RuntimeLayouts.forBinary(binary);
    if (layout.layout().isEmpty()) {
      return new Result(Optional.empty(), layout.detail());
    }
    boolean mallocHeaders = binary.version().map(v -> v.atLeast(1, 22)).orElse(true);
    HeapFootprint footprint = new HeapFootprint(mallocHeaders);
    var l = layout.layout().get();
    if (l.classicMaps().isPresent()) {
      return new Result(Optional.of(new ClassicMapReader(l.classicMaps().get(), footprint)), layout.detail());
    }
    if (l.swissMaps().isPresent()) {
      return new Result(Optional.of(new SwissMapReader(l.swissMaps().get(), footprint)), layout.detail());
    }
    return new Result(Optional.empty(), "no " + binary.mapImplementation() + " map layout for "
        + binary.version().map(GoVersion::raw).orElse("this Go version") + " (" + layout.detail() + ")");
  }

  /** A reader, or the reason there is none (also the layout's source when there is one). */
  public record Result(Optional<MapReader> reader, String detail) {}

  /** {@link GoBinary#MAPS_CLASSIC} or {@link GoBinary#MAPS_SWISS}. */
  public abstract String implementation();

  /** Reads and checks the map type at {@code address} (the probe's maptype argument). */
  public abstract MapType readType(ProcessMemory mem, long address) throws MapReadException;

  /**
   * The bucket or group size implied by what the growth probe measured (native/include/maps.h
   * gl_map_grow), when exactly one size fits; whether the type has pointers is not known then,
   * which only matters for the allocator's header on arrays of at most 32 KiB.
   */
  public abstract Optional<MapType> typeFromGrowth(int log2Capacity, long ownedBytes, long entries);

  /**
   * The bucket or group size read off the map's own storage, for maps found without a growth
   * event (see the implementations for how); empty when the storage does not tell.
   */
  public abstract Optional<MapType> inferType(ProcessMemory mem, long address) throws MapReadException;

  /**
   * Reads the map whose header is at {@code address}; {@code type} gives its bucket or group
   * size when known.
   *
   * @throws MapReadException when the memory does not hold a live map of this runtime
   */
  public abstract MapState read(ProcessMemory mem, long address, Optional<MapType> type) throws MapReadException;

  static ByteBuffer read(ProcessMemory mem, long address, int size, String what) throws MapReadException {
    if (address == 0) {
      throw new MapReadException(MapReadException.Reason.INCONSISTENT, what + " pointer is nil");
    }
    if (address < 0 || address + size < 0) { // beyond user space: not a pointer a live map holds
      throw new MapReadException(MapReadException.Reason.INCONSISTENT,
          what + " pointer 0x" + Long.toHexString(address) + " is not a user-space address");
    }
    try {
      return mem.read(address, ByteBuffer.allocate(size));
    } catch (IOException e) {
      throw new MapReadException(MapReadException.Reason.UNREADABLE,
          "cannot read " + what + " at 0x" + Long.toHexString(address) + ": " + e.getMessage());
    }
  }

  /** The *abi.Type at {@code typeAddress}: its size and whether it has pointers. */
  static long[] typeSizeAndPtrBytes(ProcessMemory mem, long typeAddress, String what) throws MapReadException {
    ByteBuffer t = read(mem, typeAddress, 16, what);
    return new long[] {t.getLong(TYPE_SIZE), t.getLong(TYPE_PTR_BYTES)};
  }

  static MapReadException inconsistent(long address, String why) {
    return new MapReadException(MapReadException.Reason.INCONSISTENT,
        "no live map at 0x" + Long.toHexString(address) + ": " + why);
  }
}
