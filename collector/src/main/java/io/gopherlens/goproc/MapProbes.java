package io.gopherlens.goproc;

import static io.gopherlens.probe.RecordLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * What the map growth programs (native/bpf/maps.bpf.c) need to know about one binary: the
 * {@code struct gl_maps_binary} the collector writes into the {@code maps_binaries} BPF map
 * under the uprobe cookie before attaching. Must match native/include/maps.h.
 *
 * <p>Stack slots, read from the runtime source and the machine code of Go 1.19, 1.22, 1.23,
 * 1.24 (both map kinds) and 1.27, and checked end to end by MapGrowthProbeTest:
 *
 * <ul>
 *   <li>{@code hashGrow(t, h)} keeps h, live across makeBucketArray, in its ABI spill slot:
 *       entry SP+0x10, i.e. frame pointer + 0x18.
 *   <li>{@code makemap(t, hint, h)} keeps h (possibly its own new(hmap)) in a local at frame
 *       pointer - 0x10 across makeBucketArray.
 *   <li>{@code (*table).split(t, typ, m)} and {@code rehash}, which has the same arguments and
 *       takes split's body when it is inlined (PGO), keep typ in its spill slot, frame pointer
 *       + 0x18, across installTableSplit.
 * </ul>
 */
public final class MapProbes {
  /** The BPF hash map of per-binary settings, keyed by the u64 uprobe cookie. */
  public static final String SETTINGS_MAP = "maps_binaries";

  static final String HASH_GROW = "runtime.hashGrow";
  static final String MAKE_MAP = "runtime.makemap";
  static final String SWISS_SPLIT = "internal/runtime/maps.(*table).split";
  static final String SWISS_REHASH = "internal/runtime/maps.(*table).rehash";

  static final int HASH_GROW_MAP_SLOT = 0x18;
  static final int MAKE_MAP_MAP_SLOT = -0x10;
  static final int SWISS_TYPE_SLOT = 0x18;

  // enum gl_map_impl, enum gl_map_site
  static final int IMPL_CLASSIC = 1;
  static final int IMPL_SWISS = 2;
  static final int SITE_CLASSIC_GROW = 1;
  static final int SITE_CLASSIC_MAKE = 2;

  /** The settings for one binary, or why its maps cannot be watched. */
  public record Settings(ByteBuffer value, String unsupportedReason) {
    public boolean supported() {
      return value != null;
    }

    static Settings unsupported(String reason) {
      return new Settings(null, reason);
    }
  }

  private MapProbes() {}

  /** Whether {@code point} is one of the map growth points (they need {@link #settings}). */
  public static boolean isMapPoint(ProbeCatalog.ProbePoint point) {
    return point.applies() != ProbeCatalog.Applies.ALL;
  }

  /** The settings for attaching {@code point} (a map point that applies to {@code go}) there. */
  public static Settings settings(GoBinary go, ProbeCatalog.ProbePoint point) {
    Optional<GoFunction> probed = go.function(point.function());
    if (probed.isEmpty()) {
      return Settings.unsupported(point.function() + " is not in the pclntab of this " + go.goVersion() + " binary");
    }
    RuntimeLayoutResult layouts = RuntimeLayouts.forBinary(go);
    if (!layouts.supported()) {
      return Settings.unsupported("no runtime layout: " + layouts.detail());
    }
    RuntimeLayout layout = layouts.layout().orElseThrow();
    ByteBuffer b = ByteBuffer.allocateDirect(MAPS_BINARY_SIZE).order(ByteOrder.nativeOrder());
    GoFunction fn = probed.get();
    b.putLong(MAPS_BINARY_PROBE_VA, fn.entryVa() + (fn.uprobeFileOffset() - fn.entryFileOffset()));
    if (point.applies() == ProbeCatalog.Applies.CLASSIC_MAPS) {
      if (layout.classicMaps().isEmpty()) {
        return Settings.unsupported("no classic map layout for " + go.goVersion() + " (" + layouts.detail() + ")");
      }
      Optional<GoFunction> grow = go.function(HASH_GROW);
      if (grow.isEmpty()) {
        return Settings.unsupported(HASH_GROW + " is not in the pclntab of this " + go.goVersion() + " binary");
      }
      frame(b, 0, grow.get(), HASH_GROW_MAP_SLOT, SITE_CLASSIC_GROW);
      // Without makemap (inlined or renamed) growth is still seen; only large make hints are not.
      go.function(MAKE_MAP).ifPresent(make -> frame(b, 1, make, MAKE_MAP_MAP_SLOT, SITE_CLASSIC_MAKE));
      RuntimeLayout.ClassicMaps c = layout.classicMaps().get();
      b.put(MAPS_BINARY_IMPL, (byte) IMPL_CLASSIC);
      b.put(MAPS_BINARY_OFF_COUNT, offset(c.hmapCount()));
      b.put(MAPS_BINARY_OFF_FLAGS, offset(c.hmapFlags()));
      b.put(MAPS_BINARY_OFF_B, offset(c.hmapB()));
    } else {
      if (layout.swissMaps().isEmpty()) {
        return Settings.unsupported("no Swiss map layout for " + go.goVersion() + " (" + layouts.detail() + ")");
      }
      Optional<GoFunction> split = go.function(SWISS_SPLIT);
      Optional<GoFunction> rehash = go.function(SWISS_REHASH);
      if (split.isEmpty() && rehash.isEmpty()) {
        return Settings.unsupported("neither " + SWISS_SPLIT + " nor " + SWISS_REHASH + " is in the pclntab of this "
            + go.goVersion() + " binary");
      }
      split.ifPresent(f -> frame(b, 0, f, SWISS_TYPE_SLOT, 0));
      rehash.ifPresent(f -> frame(b, 1, f, SWISS_TYPE_SLOT, 0));
      RuntimeLayout.SwissMaps s = layout.swissMaps().get();
      b.put(MAPS_BINARY_IMPL, (byte) IMPL_SWISS);
      b.put(MAPS_BINARY_OFF_COUNT, offset(s.mapUsed()));
      b.put(MAPS_BINARY_OFF_DIR_LEN, offset(s.mapDirLen()));
      b.put(MAPS_BINARY_OFF_GLOBAL_DEPTH, offset(s.mapGlobalDepth()));
      b.put(MAPS_BINARY_OFF_LOCAL_DEPTH, offset(s.tableLocalDepth()));
      b.put(MAPS_BINARY_OFF_GROUP_SIZE, offset(s.maptypeGroupSize()));
    }
    return new Settings(b, null);
  }

  /** The u64 key of {@link #SETTINGS_MAP}. */
  public static ByteBuffer key(long cookie) {
    return ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()).putLong(0, cookie);
  }

  private static void frame(ByteBuffer b, int index, GoFunction fn, int slot, int site) {
    int at = MAPS_BINARY_FRAMES + index * MAPS_FRAME_SIZE;
    b.putLong(at + MAPS_FRAME_LO, fn.entryVa());
    b.putLong(at + MAPS_FRAME_HI, fn.endVa());
    b.putInt(at + MAPS_FRAME_SLOT, slot);
    b.put(at + MAPS_FRAME_SITE, (byte) site);
  }

  /** The BPF side reads fields at u8 offsets: every one used is within the first 256 bytes. */
  private static byte offset(int fieldOffset) {
    if (fieldOffset < 0 || fieldOffset > 255) {
      throw new IllegalStateException("map field offset " + fieldOffset + " does not fit gl_maps_binary's u8 offsets");
    }
    return (byte) fieldOffset;
  }
}
