package io.gopherlens.gomaps;

/**
 * One read of a Go map from process memory.
 *
 * @param entries live entries: len(m) (hmap.count / Map.used)
 * @param capacity slots: 8 per bucket (classic, 2^B buckets) or the summed capacity of the
 *     distinct tables (Swiss), or 8 for a small Swiss map's single group
 * @param overflowBuckets classic overflow buckets (hmap.noverflow, an estimate the runtime
 *     keeps by sampling once B >= 16); 0 for Swiss maps
 * @param bytes heap bytes the map owns: header, bucket arrays (the old one too while growing) and
 *     separately allocated overflow buckets, or directory, tables and group arrays; -1 when the
 *     map's type (bucket or group size) is unknown (see {@link #bytesAtLeast})
 * @param seed hash seed (hmap.hash0 / Map.seed)
 * @param storage the bucket array (classic) or directory / small group (Swiss): a map with a
 *     new seed but the same storage is the same map, emptied or cleared
 * @param growing a classic map is moving entries to a new bucket array
 */
public record MapState(long entries, long capacity, long overflowBuckets, long bytes, long seed, long storage,
    boolean growing) {

  /**
   * The smallest bucket or group there is (map[struct{}]struct{}: 16 bytes for 8 slots) bounds
   * what a map of unknown type owns from below.
   */
  static final int MIN_BYTES_PER_SLOT = 2;

  /** {@link #bytes}, or a lower bound from the capacity when the size is unknown. */
  public long bytesAtLeast() {
    return bytes >= 0 ? bytes : capacity * MIN_BYTES_PER_SLOT;
  }

  /** Live entries per slot, 0 for a map without slots. */
  public double fillRatio() {
    return capacity == 0 ? 0 : (double) entries / capacity;
  }
}
