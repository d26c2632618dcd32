package io.gopherlens.probe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What the map growth uprobes saw, summed over CPUs (the per-CPU {@code maps_stats} array,
 * enum gl_maps_stat in native/include/maps.h): the probe hit rate a benchmark reports and the
 * reasons hits were not sent.
 *
 * @param hits every uprobe hit
 * @param small below maps.min_bytes
 * @param notMap large allocations no map growth asked for (classic maps)
 * @param unknownBinary hits with no settings under their cookie (detached meanwhile)
 * @param unreadable the map header or stack could not be read
 * @param emitted records sent to the ring buffer
 */
public record MapProbeCounters(long hits, long small, long notMap, long unknownBinary, long unreadable, long emitted) {
  static final String MAP = "maps_stats";
  private static final int STATS = 6; // GL_MAPS_STATS

  /** Reads the counters; needs a probe opened with Go programs (Options.goGc). */
  public static MapProbeCounters read(NativeProbe probe) {
    NativeProbe.MapInfo info = probe.mapInfo(MAP);
    int pair = info.keySize() + info.valueSize();
    ByteBuffer buf = ByteBuffer.allocateDirect(info.maxEntries() * pair).order(ByteOrder.nativeOrder());
    int pairs = probe.readMap(MAP, buf);
    long[] sums = new long[STATS];
    for (int i = 0; i < pairs; i++) {
      int stat = buf.getInt(i * pair);
      for (int cpu = 0; cpu < info.valueSize() / 8; cpu++) {
        if (stat >= 0 && stat < STATS) {
          sums[stat] += buf.getLong(i * pair + info.keySize() + cpu * 8);
        }
      }
    }
    return new MapProbeCounters(sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]);
  }

  /** What happened between {@code before} and this reading. */
  public MapProbeCounters minus(MapProbeCounters before) {
    return new MapProbeCounters(hits - before.hits, small - before.small, notMap - before.notMap,
        unknownBinary - before.unknownBinary, unreadable - before.unreadable, emitted - before.emitted);
  }
}
