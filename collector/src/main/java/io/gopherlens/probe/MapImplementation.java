package io.gopherlens.probe;

/** How a Go map is built; must match enum gl_map_impl in native/include/maps.h. */
public enum MapImplementation {
  /** Bucket arrays (runtime/map.go): Go 1.23 and earlier, 1.24 with GOEXPERIMENT=noswissmap. */
  CLASSIC(1),
  /** Swiss tables (internal/runtime/maps): Go 1.24 and later. */
  SWISS(2);

  private final int code;

  MapImplementation(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The implementation with this wire code, or null for a code this collector does not know. */
  static MapImplementation of(int code) {
    for (MapImplementation m : values()) {
      if (m.code == code) {
        return m;
      }
    }
    return null;
  }
}
