package io.gopherlens.gomaps;

import io.gopherlens.goproc.GoBinary;
import io.gopherlens.goproc.RuntimeLayout;
import io.gopherlens.goruntime.ProcessMemory;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Bucket-array maps (runtime/map.go, Go 1.19 to 1.23 and 1.24 with GOEXPERIMENT=noswissmap).
 * Capacity is 8 slots in each of the 2^B buckets. Storage follows makeBucketArray: from B >= 4
 * the array carries 2^(B-4) preallocated overflow buckets (more if the allocator's rounding
 * leaves room), handed out through mapextra.nextOverflow before any overflow bucket is
 * allocated on its own.
 */
final class ClassicMapReader extends MapReader {
  static final int BUCKET_SLOTS = 8;
  /** 2^40 buckets would be petabytes: a larger B is not a live map. */
  private static final int MAX_B = 40;
  /** hmap.flags uses iterator, oldIterator, hashWriting and sameSizeGrow (bits 0-3). */
  private static final int FLAG_BITS = 0x0f;
  private static final int SAME_SIZE_GROW = 8;
  /** Keys and elems above 128 bytes are stored indirectly, so a bucket is at most this big. */
  private static final long MAX_BUCKET = 8 + 8 * 128 * 2 + 8;

  private final RuntimeLayout.ClassicMaps l;

  ClassicMapReader(RuntimeLayout.ClassicMaps layout, HeapFootprint footprint) {
    super(footprint);
    this.l = layout;
  }

  @Override
  public String implementation() {
    return GoBinary.MAPS_CLASSIC;
  }

  @Override
  public MapType readType(ProcessMemory mem, long address) throws MapReadException {
    ByteBuffer t = read(mem, address, l.maptypeBucketSize() + 2, "map type");
    long bucketSize = t.getShort(l.maptypeBucketSize()) & 0xffff;
    long keySize = t.get(l.maptypeKeySize()) & 0xff;
    long valueSize = t.get(l.maptypeValueSize()) & 0xff;
    long[] bucket = typeSizeAndPtrBytes(mem, t.getLong(l.maptypeBucket()), "bucket type");
    // bmap: 8 tophash bytes, 8 keys, 8 elems, then the overflow pointer (aligned to 8).
    long packed = 16 + BUCKET_SLOTS * (keySize + valueSize);
    if (bucket[0] != bucketSize || bucketSize < packed || bucketSize >= packed + 8) {
      throw new MapReadException(MapReadException.Reason.INCONSISTENT, "no map type at 0x" + Long.toHexString(address)
          + ": bucket size " + bucketSize + ", bucket type size " + bucket[0] + ", key " + keySize + ", elem "
          + valueSize);
    }
    return new MapType(address, bucketSize, bucket[1] != 0);
  }

  /** owned_bytes is the new bucket array's size: makeBucketArray's bucket count x bucket size. */
  @Override
  public Optional<MapType> typeFromGrowth(int log2Capacity, long ownedBytes, long entries) {
    if (log2Capacity > MAX_B) {
      return Optional.empty();
    }
    Optional<MapType> found = Optional.empty();
    for (long size = 16; size <= MAX_BUCKET; size += 8) {
      MapType candidate = new MapType(0, size, false);
      if (ownedBytes % size == 0 && ownedBytes / size == array(candidate, log2Capacity)[0]) {
        if (found.isPresent()) {
          return Optional.empty(); // ambiguous
        }
        found = Optional.of(candidate);
      }
    }
    return found;
  }

  @Override
  public MapState read(ProcessMemory mem, long address, Optional<MapType> type) throws MapReadException {
    ByteBuffer h = read(mem, address, l.hmapSize(), "hmap");
    long count = h.getLong(l.hmapCount());
    int flags = h.get(l.hmapFlags()) & 0xff;
    int b = h.get(l.hmapB()) & 0xff;
    long noverflow = h.getShort(l.hmapNoverflow()) & 0xffff;
    long hash0 = h.getInt(l.hmapHash0()) & 0xffffffffL;
    long buckets = h.getLong(l.hmapBuckets());
    long oldbuckets = h.getLong(l.hmapOldbuckets());
    long extra = h.getLong(l.hmapExtra());
    if (b > MAX_B) {
      throw inconsistent(address, "B = " + b);
    }
    long capacity = (long) BUCKET_SLOTS << b;
    if (count < 0 || count > capacity) {
      throw inconsistent(address, "count " + count + " with B = " + b + " (" + capacity + " slots)");
    }
    if ((flags & ~FLAG_BITS) != 0) {
      throw inconsistent(address, "flags 0x" + Integer.toHexString(flags));
    }
    if (b > 0 && buckets == 0 || oldbuckets != 0 && b == 0) {
      throw inconsistent(address, "B = " + b + " with buckets 0x" + Long.toHexString(buckets) + ", oldbuckets 0x"
          + Long.toHexString(oldbuckets));
    }
    long nextOverflow = extra == 0 ? 0 : read(mem, extra, l.mapextraSize(), "mapextra").getLong(l.mapextraNextOverflow());
    // The runtime counts every overflow bucket below B = 16, then one in 2^(B-15) (incrnoverflow).
    long overflow = b < 16 ? noverflow : noverflow << (b - 15);
    long bytes = type.map(mt -> bytes(mt, b, flags, buckets, oldbuckets, extra, nextOverflow, overflow)).orElse(-1L);
    return new MapState(count, capacity, overflow, bytes, hash0, buckets, oldbuckets != 0);
  }

  private long bytes(MapType t, int b, int flags, long buckets, long oldbuckets, long extra, long nextOverflow,
      long overflow) {
    long bytes = footprint.of(l.hmapSize(), true) + array(t, b)[1];
    if (oldbuckets != 0) {
      bytes += array(t, (flags & SAME_SIZE_GROW) != 0 ? b : b - 1)[1];
    }
    if (extra != 0) {
      bytes += footprint.of(l.mapextraSize(), true);
    }
    // While nextOverflow is set, every overflow bucket since the last growth came from the array.
    long preallocated = array(t, b)[0] - (1L << b);
    long separate = buckets != 0 && nextOverflow == 0 ? Math.max(0, overflow - preallocated) : 0;
    return bytes + separate * footprint.of(t.unitSize(), t.pointers());
  }

  /** makeBucketArray: {buckets including preallocated overflow, heap bytes of the array}. */
  private long[] array(MapType t, int b) {
    long n = 1L << b;
    if (b >= 4) {
      n += 1L << (b - 4);
      n = footprint.usable(n * t.unitSize(), t.pointers()) / t.unitSize();
    }
    return new long[] {n, footprint.of(n * t.unitSize(), t.pointers())};
  }

  @Override
  public Optional<MapType> inferType(ProcessMemory mem, long address) throws MapReadException {
    ByteBuffer h = read(mem, address, l.hmapSize(), "hmap");
    long extra = h.getLong(l.hmapExtra());
    if (extra == 0) {
      return Optional.empty();
    }
    long nextOverflow = read(mem, extra, l.mapextraSize(), "mapextra").getLong(l.mapextraNextOverflow());
    int b = h.get(l.hmapB()) & 0xff;
    return b > MAX_B ? Optional.empty() : inferType(b, h.getLong(l.hmapBuckets()), nextOverflow);
  }

  /**
   * makeBucketArray puts the preallocated overflow buckets right after the 2^B regular ones and
   * nextOverflow walks through them, so nextOverflow - buckets = (2^B + used) x bucket size with
   * used below the preallocated count: while it is set, it gives the bucket size without the map
   * type when exactly one size fits.
   */
  private Optional<MapType> inferType(int b, long buckets, long nextOverflow) {
    if (b < 4 || buckets == 0 || nextOverflow <= buckets) {
      return Optional.empty();
    }
    long distance = nextOverflow - buckets;
    Optional<MapType> found = Optional.empty();
    for (long size = 16; size <= MAX_BUCKET; size += 8) {
      if (distance % size != 0) {
        continue;
      }
      MapType candidate = new MapType(0, size, false);
      long index = distance / size;
      if (index >= 1L << b && index < array(candidate, b)[0]) {
        if (found.isPresent()) {
          return Optional.empty(); // ambiguous
        }
        found = Optional.of(candidate);
      }
    }
    return found;
  }
}
