package io.gopherlens.goproc;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The build information the Go linker embeds in {@code .go.buildinfo} (the blob
 * {@code go version -m} prints): toolchain version, main module and build settings. Survives
 * {@code -ldflags='-s -w'}. Formats, per src/debug/buildinfo/buildinfo.go:
 *
 * <ul>
 *   <li>Go 1.18+: a 32-byte header (flags bit 1 set) followed by two varint-prefixed strings;
 *   <li>before 1.18: the header holds pointers to two Go string headers elsewhere in the data.
 * </ul>
 */
public final class GoBuildInfo {
  private static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
  private static final int HEADER_SIZE = 32;
  private static final int ALIGN = 16;
  private static final int FLAG_BIG_ENDIAN = 0x1;
  private static final int FLAG_INLINE_STRINGS = 0x2;
  // Real version strings are ~20 bytes and module info tens of KB; caps stop a corrupt
  // length from allocating gigabytes.
  private static final int MAX_VERSION = 1024;
  private static final int MAX_MODINFO = 4 << 20;
  // cmd/go frames the module info with 16-byte sentinels (modload.infoStart/infoEnd).
  private static final int FRAME = 16;

  private final String goVersion;
  private final String mainPackage;
  private final String modulePath;
  private final String moduleVersion;
  private final Map<String, String> settings;

  private GoBuildInfo(String goVersion, String mainPackage, String modulePath, String moduleVersion,
      Map<String, String> settings) {
    this.goVersion = goVersion;
    this.mainPackage = mainPackage;
    this.modulePath = modulePath;
    this.moduleVersion = moduleVersion;
    this.settings = settings;
  }

  /**
   * Reads the blob from {@code .go.buildinfo} or, when section headers are gone, from the
   * writable data segments: the linker puts it at the start of data, which for PIE comes after
   * a separate RELRO segment.
   *
   * @throws GoBinaryException {@code NOT_GO_BINARY} if there is no blob
   */
  public static GoBuildInfo read(ElfFile elf) {
    Located blob = locate(elf);
    if (blob == null) {
      throw GoBinaryException.notGo(elf.source(), "no Go build info (no .go.buildinfo section or blob in the data segment)");
    }
    ByteView b = blob.bytes;
    if (!b.contains(0, HEADER_SIZE)) {
      throw b.corrupt("build info header is cut off by the end of its section");
    }
    int flags = b.u8(15);
    byte[] version;
    byte[] modinfo;
    if ((flags & FLAG_INLINE_STRINGS) != 0) {
      long[] cursor = {HEADER_SIZE};
      version = inlineString(b, cursor, MAX_VERSION);
      modinfo = inlineString(b, cursor, MAX_MODINFO);
    } else {
      int ptrSize = b.u8(14);
      if ((flags & FLAG_BIG_ENDIAN) != 0 || (ptrSize != 8 && ptrSize != 4)) {
        throw b.corrupt("pointer-format build info with pointer size " + ptrSize + " and flags 0x" + Integer.toHexString(flags));
      }
      version = pointedString(elf, b, 16, ptrSize, MAX_VERSION);
      modinfo = pointedString(elf, b, 16 + ptrSize, ptrSize, MAX_MODINFO);
    }
    if (version.length == 0) {
      throw b.corrupt("build info has an empty Go version");
    }
    return parse(utf8(version), unframe(modinfo));
  }

  /** Parses the module text as runtime/debug.ParseBuildInfo does, skipping malformed lines. */
  static GoBuildInfo parse(String goVersion, String modinfo) {
    String path = "";
    String modPath = "";
    String modVersion = "";
    Map<String, String> settings = new LinkedHashMap<>();
    for (String line : modinfo.split("\n", -1)) {
      if (line.startsWith("path\t")) {
        path = line.substring(5);
      } else if (line.startsWith("mod\t")) {
        String[] cols = line.substring(4).split("\t", -1);
        modPath = cols[0];
        modVersion = cols.length > 1 ? cols[1] : "";
      } else if (line.startsWith("build\t")) {
        addSetting(settings, line.substring(6));
      }
    }
    return new GoBuildInfo(goVersion, path, modPath, modVersion, Collections.unmodifiableMap(settings));
  }

  /** The toolchain's version string, e.g. {@code go1.24.4} or {@code go1.24.4 X:noswissmap}. */
  public String goVersion() {
    return goVersion;
  }

  public Optional<GoVersion> version() {
    return GoVersion.parse(goVersion);
  }

  /** Import path of the main package, e.g. {@code cmd/compile}; empty if not recorded. */
  public String mainPackage() {
    return mainPackage;
  }

  /** The main module's path, or the main package path when built outside a module. */
  public String modulePath() {
    return modulePath.isEmpty() ? mainPackage : modulePath;
  }

  /** The main module's version, e.g. {@code (devel)} or {@code v1.2.3}; empty if unknown. */
  public String moduleVersion() {
    return moduleVersion;
  }

  /** Build settings in recorded order: {@code -ldflags}, {@code CGO_ENABLED}, {@code GOEXPERIMENT}... */
  public Map<String, String> settings() {
    return settings;
  }

  public Optional<String> setting(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  /** True if GOEXPERIMENT in the build settings lists {@code experiment}, e.g. "noswissmap". */
  public boolean experiment(String experiment) {
    String list = settings.getOrDefault("GOEXPERIMENT", "");
    for (String e : list.split(",")) {
      if (e.trim().equals(experiment)) {
        return true;
      }
    }
    return false;
  }

  private record Located(ByteView bytes) {}

  private static Located locate(ElfFile elf) {
    Optional<ElfSection> section = elf.section(".go.buildinfo");
    if (section.isPresent()) {
      return find(renamed(elf.data(section.get())), section.get().addr());
    }
    // Segment file offsets are congruent to their addresses, so offset alignment will do.
    for (ByteView range : elf.fileRanges(seg -> seg.load() && seg.writable() && !seg.executable())) {
      Located found = find(renamed(range), range.baseOffset());
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static ByteView renamed(ByteView v) {
    return v.slice(0, v.size(), "Go buildinfo");
  }

  /** The blob starts on a 16-byte aligned address (cmd/link aligns the symbol). */
  private static Located find(ByteView data, long addr) {
    long first = Math.floorMod(-addr, (long) ALIGN);
    for (long off = first; off + MAGIC.length <= data.size(); off += ALIGN) {
      if (data.startsWith(off, MAGIC)) {
        return new Located(data.tail(off));
      }
    }
    return null;
  }

  private static byte[] inlineString(ByteView b, long[] cursor, int max) {
    long len = 0;
    int shift = 0;
    while (true) {
      int x = b.u8(cursor[0]++);
      if (shift > 56) {
        throw b.corrupt("build info string length varint is longer than 64 bits");
      }
      len |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        break;
      }
      shift += 7;
    }
    if (len < 0 || len > max) {
      throw b.corrupt("build info string of " + Long.toUnsignedString(len) + " bytes exceeds the " + max + "-byte limit");
    }
    byte[] s = b.bytes(cursor[0], (int) len);
    cursor[0] += len;
    return s;
  }

  /** Pre-1.18: a pointer to a Go string header {data pointer, length} somewhere in the image. */
  private static byte[] pointedString(ElfFile elf, ByteView b, long at, int ptrSize, int max) {
    long headerVa = ptr(b, at, ptrSize);
    if (headerVa == 0) {
      return new byte[0];
    }
    ByteView header = elf.bytesAt(headerVa, 2L * ptrSize, "Go buildinfo");
    long dataVa = ptr(header, 0, ptrSize);
    long len = ptr(header, ptrSize, ptrSize);
    if (len < 0 || len > max) {
      throw b.corrupt("build info string of " + Long.toUnsignedString(len) + " bytes exceeds the " + max + "-byte limit");
    }
    if (len == 0) {
      return new byte[0];
    }
    return elf.bytesAt(dataVa, len, "Go buildinfo").bytes(0, (int) len);
  }

  private static long ptr(ByteView b, long at, int ptrSize) {
    return ptrSize == 8 ? b.u64(at) : b.u32(at);
  }

  /** The sentinels are raw bytes, not UTF-8, so they come off before decoding. */
  private static String unframe(byte[] mod) {
    if (mod.length >= 2 * FRAME + 1 && mod[mod.length - FRAME - 1] == '\n') {
      return new String(mod, FRAME, mod.length - 2 * FRAME, StandardCharsets.UTF_8);
    }
    return "";
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void addSetting(Map<String, String> settings, String kv) {
    String key;
    String raw;
    int quoted = GoQuoted.prefixLength(kv);
    if (quoted > 0) {
      if (quoted >= kv.length() || kv.charAt(quoted) != '=') {
        return;
      }
      Optional<String> k = GoQuoted.unquote(kv.substring(0, quoted));
      if (k.isEmpty()) {
        return;
      }
      key = k.get();
      raw = kv.substring(quoted + 1);
    } else {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        return;
      }
      key = kv.substring(0, eq);
      raw = kv.substring(eq + 1);
    }
    String value = raw;
    if (!raw.isEmpty() && (raw.charAt(0) == '"' || raw.charAt(0) == '`')) {
      Optional<String> v = GoQuoted.unquote(raw);
      if (v.isEmpty()) {
        return;
      }
      value = v.get();
    }
    settings.put(key, value);
  }
}
