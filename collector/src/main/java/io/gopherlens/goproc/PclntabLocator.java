package io.gopherlens.goproc;

import java.util.Optional;

/**
 * Finds the pclntab in an ELF file and the text start its 1.18+ offsets are relative to.
 *
 * <p>Where the table lives (measured on Go 1.19-1.27 amd64 builds):
 *
 * <ul>
 *   <li>{@code .gopclntab}: default, {@code -s -w}, cgo, and 1.26+ PIE builds;
 *   <li>{@code .data.rel.ro.gopclntab}: internally linked PIE before 1.26;
 *   <li>no section at all: externally linked PIE (cgo + PIE) before 1.26, where the system
 *       linker merges it into {@code .data.rel.ro}; also any file whose section headers were
 *       removed. Then the header magic is searched for, with structural checks.
 * </ul>
 *
 * <p>Text start: the header's field when set. Go 1.26+ writes zero there, and for externally
 * linked binaries runtime.text is not the start of {@code .text} (C start-up code comes first),
 * so the value is read from runtime.firstmoduledata, found by its pointer to the header.
 */
final class PclntabLocator {
  // runtime.moduledata (Go 1.16+): pcHeader, six slices, findfunctab, minpc, maxpc, text.
  private static final int MD_FUNCNAMETAB = 8;
  private static final int MD_FTAB = 8 + 5 * 24;
  private static final int MD_TEXT = 8 + 6 * 24 + 3 * 8;
  private static final int MD_MIN_SIZE = MD_TEXT + 8;

  private PclntabLocator() {}

  /** A located table: its bytes (to the end of the section or segment) and link-time address. */
  record Found(ByteView bytes, long va) {}

  /** @throws GoBinaryException NOT_GO_BINARY when there is no pclntab */
  static Pclntab locate(ElfFile elf) {
    Found found = findSection(elf).orElseGet(() -> search(elf));
    if (found == null) {
      throw GoBinaryException.notGo(elf.source(), "no .gopclntab section and no pclntab header in any loaded segment");
    }
    Pclntab.Format format = Pclntab.headerFormat(found.bytes(), 0);
    long textStart = 0;
    if (format != null && format.textRelative()) {
      textStart = Pclntab.headerTextStart(found.bytes());
      if (textStart == 0) {
        textStart = moduleText(elf, found);
      }
    }
    return Pclntab.parse(found.bytes(), textStart);
  }

  private static Optional<Found> findSection(ElfFile elf) {
    Optional<ElfSection> s = elf.section(".gopclntab").or(() -> elf.section(".data.rel.ro.gopclntab"));
    return s.map(sec -> new Found(rename(elf.data(sec)), sec.addr()));
  }

  /**
   * Scans the loaded segments (read-only data may share the executable one, depending on the
   * system linker) for a plausible header. pcHeader is pointer-aligned, and segment file
   * offsets are congruent to their addresses, so file-offset alignment is address alignment.
   */
  private static Found search(ElfFile elf) {
    for (ByteView range : elf.fileRanges(ElfSegment::load)) {
      long first = Math.floorMod(-range.baseOffset(), (long) Pclntab.PTR_SIZE);
      for (long off = first; off + 64 <= range.size(); off += Pclntab.PTR_SIZE) {
        // Cheap first test on the magic's constant high bytes before the full check.
        if (range.u16(off + 2) == 0xffff && plausible(range, off)) {
          long va = elf.addressOf(range.baseOffset() + off);
          if (va != -1) {
            return new Found(rename(range.tail(off)), va);
          }
        }
      }
    }
    return null;
  }

  /** Structural checks so a stray copy of the magic in data is not taken for the table. */
  static boolean plausible(ByteView bytes, long off) {
    Pclntab.Format format = Pclntab.headerFormat(bytes, off);
    if (format == null) {
      return false;
    }
    ByteView t = bytes.tail(off);
    try {
      long nfunc = t.u64(8);
      if (nfunc <= 0 || nfunc > 1 << 24) {
        return false;
      }
      if (format != Pclntab.Format.GO_1_2) {
        int first = format == Pclntab.Format.GO_1_16 ? 2 : 3;
        long prev = 8 + (first + 5L) * Pclntab.PTR_SIZE; // header size
        for (int w = first; w < first + 5; w++) {
          long o = Pclntab.headerWord(t, w);
          if (o < prev || o >= t.size()) {
            return false; // tables follow the header in this order (cmd/link pcln.go)
          }
          prev = o;
        }
      }
      Pclntab table = Pclntab.parse(t, format.textRelative() ? 0x1000 : 0);
      int n = Math.min(table.functionCount(), 16);
      for (int i = 0; i < n; i++) {
        if (Long.compareUnsigned(table.entry(i), table.end(i)) > 0 || !printable(table.name(i))) {
          return false;
        }
      }
      return true;
    } catch (GoBinaryException e) {
      return false;
    }
  }

  private static boolean printable(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < 0x20) {
        return false;
      }
    }
    return true;
  }

  /**
   * runtime.firstmoduledata's text field. The moduledata sits in writable data and starts with
   * a pointer to the header, then the funcnametab and ftab slices, which pin it down. Pointers
   * hold link-time addresses in the file even for PIE (the dynamic relocations add the base).
   */
  private static long moduleText(ElfFile elf, Found table) {
    long nfunc = table.bytes().u64(8);
    long nameTab = table.va() + Pclntab.headerWord(table.bytes(), 3);
    long functab = table.va() + Pclntab.headerWord(table.bytes(), 7);
    for (ByteView bytes : elf.fileRanges(seg -> seg.load() && seg.writable())) {
      long first = Math.floorMod(-bytes.baseOffset(), 8L);
      for (long off = first; off + MD_MIN_SIZE <= bytes.size(); off += 8) {
        if (bytes.u64(off) == table.va()
            && bytes.u64(off + MD_FUNCNAMETAB) == nameTab
            && bytes.u64(off + MD_FTAB) == functab
            && bytes.u64(off + MD_FTAB + 8) == nfunc + 1) {
          long text = bytes.u64(off + MD_TEXT);
          if (text != 0) {
            return text;
          }
        }
      }
    }
    throw GoBinaryException.corrupt("Go pclntab", elf.source(),
        "the header has no text start and runtime.firstmoduledata was not found to supply it");
  }

  private static ByteView rename(ByteView v) {
    return v.slice(0, v.size(), "Go pclntab");
  }
}
