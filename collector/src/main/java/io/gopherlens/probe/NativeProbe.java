package io.gopherlens.probe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The loaded eBPF probe: open, attach, poll batches, read maps, close. One poller thread
 * calls {@link #poll}; attach/detach and map reads may come from other threads (the native
 * side locks its link table). Calls hold a shared lock that {@link #close} takes exclusively,
 * so closing never frees what a running call still uses. Every native failure surfaces as
 * {@link ProbeException}.
 */
public final class NativeProbe implements AutoCloseable {
  /**
   * Which programs to load and which ring-buffer records they send. TCP flows are always
   * aggregated in the kernel when {@code tcp} is on; the two event switches only add
   * per-transition and per-connection records on top.
   */
  public record Options(
      boolean processEvents, boolean tcp, boolean goGc, boolean tcpStateEvents, boolean tcpCloseEvents, boolean forceClassicTracepoints) {
    public static Options all() {
      return new Options(true, true, true, true, false, false);
    }

    public Options withTcpStateEvents(boolean on) {
      return new Options(processEvents, tcp, goGc, on, tcpCloseEvents, forceClassicTracepoints);
    }

    public Options withTcpCloseEvents(boolean on) {
      return new Options(processEvents, tcp, goGc, tcpStateEvents, on, forceClassicTracepoints);
    }

    // Must match enum gl_probe_flag in native/src/gl_loader.h.
    int flags() {
      return (processEvents ? 1 : 0)
          | (tcp ? 2 : 0)
          | (goGc ? 4 : 0)
          | (tcpStateEvents ? 8 : 0)
          | (tcpCloseEvents ? 16 : 0)
          | (forceClassicTracepoints ? 32 : 0);
    }
  }

  private static final int BATCH_BYTES = 256 * 1024;
  /** Map growths below this are counted in the kernel, not sent (maps.h; maps.min_bytes). */
  public static final long DEFAULT_MAPS_MIN_BYTES = 64 * 1024;

  private final ByteBuffer batch = ByteBuffer.allocateDirect(BATCH_BYTES).order(ByteOrder.nativeOrder());
  private final RecordDecoder decoder = new RecordDecoder();
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private long handle;
  private String tracepointFlavor = "none";

  private NativeProbe(long handle) {
    this.handle = handle;
  }

  /** Loads the BPF programs into the kernel. Needs root (or CAP_BPF + CAP_PERFMON). */
  public static NativeProbe open(Options options) {
    return open(options, DEFAULT_MAPS_MIN_BYTES);
  }

  /**
   * As {@link #open(Options)}, reporting only growths of Go maps that own at least {@code
   * mapsMinBytes} afterwards (fixed at load time: the BPF side reads it as a constant).
   */
  public static NativeProbe open(Options options, long mapsMinBytes) {
    if (mapsMinBytes <= 0) {
      throw new IllegalArgumentException("maps minimum bytes must be positive, got " + mapsMinBytes);
    }
    NativeLibrary.load();
    return new NativeProbe(nativeOpen(options.flags(), mapsMinBytes));
  }

  /** Attaches the process and TCP tracepoint programs; idempotent. */
  public void attachTracepoints() {
    tracepointFlavor = locked(h -> nativeAttachTracepoints(h));
  }

  /** "tp_btf" or "tracepoint": which twin the loader chose for this kernel. */
  public String tracepointFlavor() {
    return tracepointFlavor;
  }

  /**
   * Attaches {@code program} as a uprobe at a file offset of {@code binaryPath}. A pid of -1
   * covers every process that maps the file. Returns the link id for {@link #detach}.
   */
  public long attachUprobe(String program, String binaryPath, long fileOffset, int pid, long cookie) {
    return locked(h -> nativeAttachUprobe(h, program, binaryPath, fileOffset, pid, cookie));
  }

  public void detach(long linkId) {
    locked(h -> {
      nativeDetach(h, linkId);
      return null;
    });
  }

  /** Records decoded from the ring buffers since the probe opened (the poller's throughput). */
  public long recordsDecoded() {
    return decoder.decoded();
  }

  /**
   * Waits up to {@code timeoutMillis} for records and hands each decoded event to {@code
   * sink}. Returns the number of bytes drained (0 on timeout).
   */
  public int poll(int timeoutMillis, Consumer<? super ProbeEvent> sink) {
    int n = locked(h -> nativePoll(h, batch, timeoutMillis));
    if (n > 0) {
      decoder.decode(batch, n, sink);
    }
    return n;
  }

  /** Map metadata: key size, value size (all CPUs for per-CPU maps), max entries. */
  public MapInfo mapInfo(String map) {
    int[] info = locked(h -> nativeMapInfo(h, map));
    return new MapInfo(info[0], info[1], info[2]);
  }

  /** Reads every (key, value) pair of a BPF map into {@code out}; returns the pair count. */
  public int readMap(String map, ByteBuffer out) {
    if (!out.isDirect()) {
      throw new IllegalArgumentException("readMap needs a direct ByteBuffer");
    }
    return locked(h -> nativeMapRead(h, map, out));
  }

  /**
   * Moves every (key, value) pair of a hash map into {@code out}, deleting each atomically,
   * so increments that race with the drain land in the next one. Returns the pair count.
   */
  public int drainMap(String map, ByteBuffer out) {
    if (!out.isDirect()) {
      throw new IllegalArgumentException("drainMap needs a direct ByteBuffer");
    }
    return locked(h -> nativeMapDrain(h, map, out));
  }

  /**
   * Inserts or replaces one entry of a hash map. {@code key} and {@code value} are direct
   * buffers holding exactly the map's key and value (position 0 to limit).
   */
  public void updateMap(String map, ByteBuffer key, ByteBuffer value) {
    if (!key.isDirect() || !value.isDirect()) {
      throw new IllegalArgumentException("updateMap needs direct ByteBuffers");
    }
    locked(h -> {
      nativeMapUpdate(h, map, key, key.limit(), value, value.limit());
      return null;
    });
  }

  /** Deletes one entry of a hash map; a missing entry is not an error. */
  public void deleteMapEntry(String map, ByteBuffer key) {
    if (!key.isDirect()) {
      throw new IllegalArgumentException("deleteMapEntry needs a direct ByteBuffer");
    }
    locked(h -> {
      nativeMapDelete(h, map, key, key.limit());
      return null;
    });
  }

  /** Runs the TCP socket iterator once: samples RTT and adds new bytes to the flow maps. */
  public void sampleTcp() {
    locked(h -> {
      nativeSampleTcp(h);
      return null;
    });
  }

  /** Deletes every entry (zeroes every slot of array maps). */
  public void resetMap(String map) {
    locked(h -> {
      nativeMapReset(h, map);
      return null;
    });
  }

  /** Records lost in the kernel, summed over CPUs, per reason. */
  public DropCounts drops() {
    long ringbufFull = 0;
    long mapFull = 0;
    for (String map : new String[] {"proc_drops", "tcp_drops", "gc_drops", "maps_drops"}) {
      MapInfo info;
      try {
        info = mapInfo(map);
      } catch (ProbeException notLoaded) {
        continue;
      }
      ByteBuffer buf = ByteBuffer.allocateDirect(info.maxEntries() * (info.keySize() + info.valueSize()))
          .order(ByteOrder.nativeOrder());
      int pairs = readMap(map, buf);
      for (int i = 0; i < pairs; i++) {
        int base = i * (info.keySize() + info.valueSize());
        int reason = buf.getInt(base);
        long sum = 0;
        for (int cpu = 0; cpu < info.valueSize() / 8; cpu++) {
          sum += buf.getLong(base + info.keySize() + cpu * 8);
        }
        if (reason == 0) ringbufFull += sum;
        else mapFull += sum;
      }
    }
    return new DropCounts(ringbufFull, mapFull, locked(h -> nativeLoaderDrops(h)) + decoder.malformed());
  }

  /** Detaches every probe and unloads every program. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (handle != 0) {
        nativeClose(handle);
        handle = 0;
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /** The native offsetof() table of every wire struct, for layout tests. */
  static String nativeLayoutDescription() {
    NativeLibrary.load();
    return nativeLayout();
  }

  private <T> T locked(java.util.function.LongFunction<T> call) {
    lifecycle.readLock().lock();
    try {
      if (handle == 0) {
        throw new IllegalStateException("probe is closed");
      }
      return call.apply(handle);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  public record MapInfo(int keySize, int valueSize, int maxEntries) {}

  /** Lost records: kernel ring buffer full, kernel map full, undecodable in user space. */
  public record DropCounts(long ringBufferFull, long mapFull, long malformed) {}

  private static native long nativeOpen(int flags, long mapsMinBytes);

  private static native String nativeAttachTracepoints(long handle);

  private static native long nativeAttachUprobe(
      long handle, String program, String path, long offset, int pid, long cookie);

  private static native void nativeDetach(long handle, long linkId);

  private static native int nativePoll(long handle, ByteBuffer buffer, int timeoutMillis);

  private static native int[] nativeMapInfo(long handle, String map);

  private static native int nativeMapRead(long handle, String map, ByteBuffer out);

  private static native void nativeMapReset(long handle, String map);

  private static native int nativeMapDrain(long handle, String map, ByteBuffer out);

  private static native void nativeSampleTcp(long handle);

  private static native void nativeMapUpdate(
      long handle, String map, ByteBuffer key, int keySize, ByteBuffer value, int valueSize);

  private static native void nativeMapDelete(long handle, String map, ByteBuffer key, int keySize);

  private static native long nativeLoaderDrops(long handle);

  private static native void nativeClose(long handle);

  private static native String nativeLayout();
}
