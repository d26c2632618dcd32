package io.gopherlens.probe;

/** Which runtime path grew a map; must match enum gl_map_site in native/include/maps.h. */
public enum MapGrowthSite {
  /** runtime.hashGrow allocated a new bucket array: B+1, or the same B to shed overflow buckets. */
  CLASSIC_GROW(1),
  /** runtime.makemap with a large size hint allocated the first bucket array. */
  CLASSIC_MAKE(2),
  /** A full 1024-slot Swiss table split in two ((*Map).installTableSplit). */
  SWISS_SPLIT(3);

  private final int code;

  MapGrowthSite(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  static MapGrowthSite of(int code) {
    for (MapGrowthSite s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    return null;
  }
}
