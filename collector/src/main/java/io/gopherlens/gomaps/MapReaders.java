package io.gopherlens.gomaps;

import io.gopherlens.goproc.GoBinary;
import io.gopherlens.log.Log;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One map reader per binary, resolved once (reading DWARF takes tens of ms); bounded. */
public final class MapReaders {
  private static final Log LOG = Log.of(MapReaders.class);
  private static final int MAX_CACHED = 1024;

  private final Map<GoBinary, Optional<MapReader>> byBinary = new ConcurrentHashMap<>();

  public Optional<MapReader> forBinary(GoBinary binary) {
    if (byBinary.size() > MAX_CACHED) {
      byBinary.clear();
    }
    return byBinary.computeIfAbsent(binary, b -> {
      MapReader.Result r = MapReader.forBinary(b);
      if (r.reader().isEmpty()) {
        LOG.warn("no map layout; Go maps of this binary are not tracked", "goVersion", b.goVersion(),
            "detail", r.detail());
      }
      return r.reader();
    });
  }
}
