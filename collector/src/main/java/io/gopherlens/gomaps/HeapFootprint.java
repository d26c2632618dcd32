package io.gopherlens.gomaps;

/**
 * How many heap bytes the Go allocator takes for an object of a given size: the size class
 * (runtime/sizeclasses.go, the same 68 classes in Go 1.19 to 1.27), or whole 8 KiB pages above
 * 32 KiB (msize.go roundupsize). From Go 1.22 on, small objects with pointers larger than 512
 * bytes carry an 8-byte malloc header in their slot (mbitmap.go minSizeForMallocHeader).
 */
final class HeapFootprint {
  private static final int[] CLASS_TO_SIZE = {0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208,
      224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536,
      1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240,
      10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};
  private static final long MAX_SMALL = 32768;
  private static final long PAGE = 8192;
  private static final long MALLOC_HEADER = 8;
  private static final long MIN_SIZE_FOR_MALLOC_HEADER = 512;

  private final boolean mallocHeaders;

  /** {@code mallocHeaders}: the runtime is Go 1.22 or later. */
  HeapFootprint(boolean mallocHeaders) {
    this.mallocHeaders = mallocHeaders;
  }

  /** Heap bytes of one object of {@code size} bytes ({@code pointers}: its type has pointers). */
  long of(long size, boolean pointers) {
    if (size <= 0) {
      return 0;
    }
    long request = size + header(size, pointers);
    if (request <= MAX_SMALL) {
      for (int c : CLASS_TO_SIZE) {
        if (c >= request) {
          return c;
        }
      }
    }
    return (size + PAGE - 1) / PAGE * PAGE;
  }

  /** What runtime.roundupsize returns: the bytes usable by an object asked for {@code size}. */
  long usable(long size, boolean pointers) {
    long slot = of(size, pointers);
    return slot <= MAX_SMALL ? slot - header(size, pointers) : slot;
  }

  private long header(long size, boolean pointers) {
    return mallocHeaders && pointers && size > MIN_SIZE_FOR_MALLOC_HEADER && size <= MAX_SMALL - MALLOC_HEADER
        ? MALLOC_HEADER
        : 0;
  }
}
