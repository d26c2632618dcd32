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

  /**
   * Go minor versions whose stack slots were read from real builds (1.19, 1.22, 1.23, 1.24 and
   * 1.27; the releases between them share the compiler's spill rules). Outside them a moved
   * slot would name the wrong map, so those binaries are not watched.
   */
  static final int CLASSIC_FIRST_MINOR = 19;
  static final int CLASSIC_LAST_MINOR = 25; // GOEXPERIMENT=noswissmap ends with 1.25
  static final int SWISS_FIRST_MINOR = 24;
  static final int SWISS_LAST_MINOR = 27;

  // enum gl_map_impl, enum gl_map_site
  static final int IMPL_CLASSIC = 1;
  static final int IMPL_SWISS = 2;
  static final int SITE_CLASSIC_GROW = 1;
  static final int SITE_CLASSIC_MAKE = 2;

  /**
   * The settings for one binary and where the point's uprobe goes, or why its maps cannot be
   * watched.
   */
  public record Settings(ByteBuffer value, long uprobeFileOffset, String unsupportedReason) {
    public boolean supported() {
      return value != null;
    }

    static Settings unsupported(String reason) {
      return new Settings(null, -1, reason);
    }
  }

  private MapProbes() {}

  /** Whether {@code point} is one of the map growth points (they need {@link #settings}). */
  public static boolean isMapPoint(ProbeCatalog.ProbePoint point) {
    return point.applies() == ProbeCatalog.Applies.CLASSIC_MAPS || point.applies() == ProbeCatalog.Applies.SWISS_MAPS;
  }

  /** The settings for attaching {@code point} (a map point that applies to {@code go}) there. */
  public static Settings settings(GoBinary go, ProbeCatalog.ProbePoint point) {
    Optional<GoFunction> probed = go.function(point.function());
    if (probed.isEmpty()) {
      return Settings.unsupported(point.function() + " is not in the pclntab of this " + go.goVersion() + " binary");
    }
    boolean classic = point.applies() == ProbeCatalog.Applies.CLASSIC_MAPS;
    int first = classic ? CLASSIC_FIRST_MINOR : SWISS_FIRST_MINOR;
    int last = classic ? CLASSIC_LAST_MINOR : SWISS_LAST_MINOR;
    Optional<GoVersion> version = go.version();
    if (version.isEmpty() || version.get().major() != 1 || version.get().minor() < first || version.get().minor() > last) {
      return Settings.unsupported("the runtime's stack slots for " + (classic ? "classic" : "Swiss") + " map growth are known for Go 1."
          + first + " to 1." + last + ", not " + go.goVersion());
    }
    RuntimeLayoutResult layouts = RuntimeLayouts.forBinary(go);
    if (!layouts.supported()) {
      return Settings.unsupported("no runtime layout: " + layouts.detail());
    }
    RuntimeLayout layout = layouts.layout().orElseThrow();
    ByteBuffer b = ByteBuffer.allocateDirect(MAPS_BINARY_SIZE).order(ByteOrder.nativeOrder());
    GoFunction fn = probed.get();
    long probeAt = fn.uprobeFileOffset() - fn.entryFileOffset();
    if (!classic) {
      probeAt = directoryGrowthBranch(go, fn);
      if (probeAt < 0) {
        return Settings.unsupported(fn.name() + " does not start as expected (frame pointer set up, then a JNE "
            + "around the directory growth) in this " + go.goVersion() + " binary");
      }
    }
    b.putLong(MAPS_BINARY_PROBE_VA, fn.entryVa() + probeAt);
    if (classic) {
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
      b.put(MAPS_BINARY_OFF_GROUP_SIZE, offset(s.maptypeGroupSize()));
    }
    return new Settings(b, fn.entryFileOffset() + probeAt, null);
  }

  /**
   * Offset of the first instruction of installTableSplit's {@code if old.localDepth ==
   * m.globalDepth} body, which doubles the directory: the fall-through of the function's first
   * conditional branch, a JNE right after the prologue. A uprobe there fires once per directory
   * doubling instead of once per split. The prologue must have pushed BP and set it (Go 1.21+
   * frames), which is where the BPF side starts the frame chain; registers still hold the
   * arguments (m in AX, old in BX). -1 if the code has another shape.
   */
  static long directoryGrowthBranch(GoBinary go, GoFunction fn) {
    ByteView code = go.elf().bytesAt(fn.entryVa(), Math.min(fn.size(), 128), "machine code of " + fn.name());
    long off = fn.uprobeFileOffset() - fn.entryFileOffset();
    if (off == 0) {
      return -1; // no stack check: not the function compiled as expected
    }
    off += X86Decoder.length(X86Decoder.decode(code, off)); // the stack check's JBE
    if (!code.startsWith(off, new byte[] {0x55, 0x48, (byte) 0x89, (byte) 0xe5})) { // PUSHQ BP; MOVQ SP, BP
      return -1;
    }
    while (off < code.size()) {
      long d = X86Decoder.decode(code, off);
      int flow = X86Decoder.flow(d);
      if (flow == X86Decoder.FLOW_JCC) {
        boolean jne = code.u8(off) == 0x75 || code.u8(off) == 0x0f && code.u8(off + 1) == 0x85;
        return jne ? off + X86Decoder.length(d) : -1;
      }
      if (flow != X86Decoder.FLOW_NEXT) {
        return -1;
      }
      off += X86Decoder.length(d);
    }
    return -1;
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
