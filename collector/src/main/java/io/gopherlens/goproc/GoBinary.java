package io.gopherlens.goproc;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * What gopherlens needs to know about a Go executable, read from the file alone (no external
 * tools, no debug info): toolchain version, build flavour, function addresses and file offsets
 * for uprobes, and pc symbolization. Works on stripped ({@code -s -w}), PIE and cgo builds.
 *
 * <p>Opening maps the file and parses headers only; tables are read on demand. Instances are
 * immutable and safe to share between threads. Every method throws only
 * {@link GoBinaryException}, including lookups that run into corrupt tables.
 *
 * <p>Addresses are link-time virtual addresses as written in the file. For a PIE process,
 * subtract the load bias from runtime pcs before {@link #symbolize}.
 */
public final class GoBinary {
  /** Bucket-array maps (runtime/map.go), Go 1.23 and earlier. */
  public static final String MAPS_CLASSIC = "classic";
  /** Swiss-table maps (internal/runtime/maps), Go 1.24 and later by default. */
  public static final String MAPS_SWISS = "swiss";

  private final ElfFile elf;
  private final GoBuildInfo buildInfo;
  private final Pclntab pclntab;
  /** RuntimeLayouts' answer, kept: heap sampling, map reading and every re-attach ask for it. */
  private volatile RuntimeLayoutResult runtimeLayout;
  /** WorldStopSlots' answer, kept: the catalog, the uprobe cookie and the attach each ask for it. */
  private volatile Optional<WorldStopSlots.Slots> worldStopSlots;

  private GoBinary(ElfFile elf, GoBuildInfo buildInfo, Pclntab pclntab) {
    this.elf = elf;
    this.buildInfo = buildInfo;
    this.pclntab = pclntab;
  }

  RuntimeLayoutResult runtimeLayout(Function<GoBinary, RuntimeLayoutResult> find) {
    RuntimeLayoutResult r = runtimeLayout;
    if (r == null) {
      runtimeLayout = r = find.apply(this); // a race computes it twice; both answers are equal
    }
    return r;
  }

  Optional<WorldStopSlots.Slots> worldStopSlots(Function<GoBinary, Optional<WorldStopSlots.Slots>> find) {
    Optional<WorldStopSlots.Slots> r = worldStopSlots;
    if (r == null) {
      worldStopSlots = r = find.apply(this); // as above: a race only computes it twice
    }
    return r;
  }

  /**
   * Maps and identifies the Go binary at {@code path} (for a process, {@code /proc/PID/exe}).
   *
   * @throws GoBinaryException with reason NOT_GO_BINARY for ELF files without Go's tables
   */
  public static GoBinary open(Path path) {
    return of(guard(() -> ElfFile.open(path), path.toString()));
  }

  /** As {@link #open}, over an image already in memory. */
  static GoBinary parse(ByteBuffer image, String source) {
    return of(guard(() -> ElfFile.parse(image, source), source));
  }

  private static GoBinary of(ElfFile elf) {
    return guard(() -> {
      boolean hasBuildInfo = elf.section(".go.buildinfo").isPresent();
      boolean hasPclntab = elf.section(".gopclntab").isPresent() || elf.section(".data.rel.ro.gopclntab").isPresent();
      if (!elf.sections().isEmpty() && !hasBuildInfo && !hasPclntab && elf.section(".go.module").isEmpty()) {
        // Cheap answer for the common case of a C program with ordinary section headers.
        throw GoBinaryException.notGo(elf.source(), "no .go.buildinfo or .gopclntab section");
      }
      GoBuildInfo info = GoBuildInfo.read(elf);
      return new GoBinary(elf, info, PclntabLocator.locate(elf));
    }, elf.source());
  }

  public ElfFile elf() {
    return elf;
  }

  public GoBuildInfo buildInfo() {
    return buildInfo;
  }

  public Pclntab pclntab() {
    return pclntab;
  }

  /** The toolchain's version string from build info, e.g. {@code go1.24.4}. */
  public String goVersion() {
    return buildInfo.goVersion();
  }

  public Optional<GoVersion> version() {
    return buildInfo.version();
  }

  public String modulePath() {
    return buildInfo.modulePath();
  }

  /** No {@code .symtab}: built with {@code -ldflags=-s} or run through strip. */
  public boolean stripped() {
    return !elf.hasSymtab();
  }

  public boolean hasDwarf() {
    return elf.hasDwarf();
  }

  /** Position-independent (ET_DYN): runtime addresses = file addresses + load bias. */
  public boolean pie() {
    return elf.pie();
  }

  /**
   * True if the binary contains cgo: it links libc dynamically, or carries runtime/cgo's
   * entry point {@code crosscall2} (static cgo builds have no DT_NEEDED). CGO_ENABLED=1 alone
   * is not enough: a program that imports no cgo package is linked as pure Go.
   */
  public boolean cgo() {
    return guard(() -> {
      if ("0".equals(buildInfo.settings().get("CGO_ENABLED"))) {
        return false;
      }
      for (String lib : elf.neededLibraries()) {
        if (lib.startsWith("libc.so") || lib.startsWith("libc.musl")) {
          return true;
        }
      }
      return pclntab.indexOf("crosscall2") >= 0;
    }, elf.source());
  }

  /**
   * {@link #MAPS_CLASSIC} before Go 1.24, {@link #MAPS_SWISS} from 1.24 unless built with
   * GOEXPERIMENT=noswissmap (possible in 1.24 and 1.25).
   */
  public String mapImplementation() {
    Optional<GoVersion> v = version();
    if (v.isPresent() && !v.get().atLeast(1, 24)) {
      return MAPS_CLASSIC;
    }
    return buildInfo.experiment("noswissmap") ? MAPS_CLASSIC : MAPS_SWISS;
  }

  /**
   * The function with this exact pclntab name, e.g. {@code runtime.gcStart}. About 30 runtime
   * functions appear twice: the body and a linker-generated ABI wrapper with the same name
   * (file {@code <autogenerated>}). The body is returned: every call reaches it, whichever ABI
   * the caller used.
   */
  public Optional<GoFunction> function(String name) {
    return guard(() -> {
      int[] all = pclntab.indexesOf(name);
      if (all.length == 0) {
        return Optional.empty();
      }
      for (int i : all) {
        if (all.length == 1 || !isAbiWrapper(i)) {
          return Optional.of(function(i));
        }
      }
      return Optional.of(function(all[0]));
    }, elf.source());
  }

  /** The function containing {@code va}, if any. */
  public Optional<GoFunction> functionAt(long va) {
    return guard(() -> {
      int i = pclntab.indexAt(va);
      return i < 0 ? Optional.empty() : Optional.of(function(i));
    }, elf.source());
  }

  /**
   * File offset of {@code va}: what uprobes attach to.
   *
   * @throws GoBinaryException if no PT_LOAD segment maps {@code va} from the file
   */
  public long fileOffset(long va) {
    long off = elf.fileOffset(va);
    if (off < 0) {
      throw GoBinaryException.corrupt("ELF", elf.source(),
          "address 0x" + Long.toHexString(va) + " is not mapped from the file by any PT_LOAD segment");
    }
    return off;
  }

  /** Name of the function containing {@code va}: cheaper than {@link #functionAt} or {@link #symbolize}. */
  public Optional<String> functionNameAt(long va) {
    return guard(() -> {
      int i = pclntab.indexAt(va);
      return i < 0 ? Optional.empty() : Optional.of(pclntab.name(i));
    }, elf.source());
  }

  /** Function, file and line of a (link-time) pc; empty outside Go's text. */
  public Optional<SourceLocation> symbolize(long pc) {
    return guard(() -> pclntab.sourceAt(pc), elf.source());
  }

  /**
   * File offsets of the function's RET instructions, found by decoding its machine code: where
   * uprobes go when a return value is needed (uretprobes break Go: DESIGN.md decision 3).
   */
  public long[] returnFileOffsets(GoFunction fn) {
    return guard(() -> {
      long[] rel = ReturnSites.find(code(fn));
      for (int i = 0; i < rel.length; i++) {
        rel[i] += fn.entryFileOffset();
      }
      return rel;
    }, elf.source());
  }

  /**
   * Link-time addresses of the package-level variables the function's code reads or writes
   * (its RIP-relative operands): how stripped binaries reveal where a runtime global lives.
   */
  public long[] dataReferences(GoFunction fn) {
    return guard(() -> RipReferences.find(code(fn), fn.entryVa()), elf.source());
  }

  private boolean isAbiWrapper(int i) {
    return pclntab.sourceAt(pclntab.entry(i)).map(l -> l.file().equals("<autogenerated>")).orElse(false);
  }

  private GoFunction function(int i) {
    String name = pclntab.name(i);
    long entry = pclntab.entry(i);
    long end = pclntab.end(i);
    long entryOff = fileOffset(entry);
    long probe = GoPrologue.uprobeOffset(code(name, entry, end));
    return new GoFunction(name, entry, end, entryOff, entryOff + probe);
  }

  ByteView code(GoFunction fn) {
    return code(fn.name(), fn.entryVa(), fn.endVa());
  }

  private ByteView code(String name, long entry, long end) {
    if (Long.compareUnsigned(end, entry) <= 0) {
      throw GoBinaryException.corrupt("Go pclntab", elf.source(), "function " + name + " ends at 0x"
          + Long.toHexString(end) + ", not after its entry 0x" + Long.toHexString(entry));
    }
    return elf.bytesAt(entry, end - entry, "machine code of " + name);
  }

  private interface Read<T> {
    T get();
  }

  /**
   * Maps a fault on the memory-mapped file (the file was truncated after mapping: the JVM
   * reports SIGBUS as InternalError) to the one exception type callers expect.
   */
  private static <T> T guard(Read<T> read, String source) {
    try {
      return read.get();
    } catch (InternalError e) {
      throw GoBinaryException.io(source, e);
    }
  }
}
