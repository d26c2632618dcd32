package io.gopherlens.goproc;

import java.util.Optional;

/**
 * Go's function table ({@code .gopclntab}): function names, entry and end addresses, and the
 * pc-value tables that map a pc to file and line. Survives {@code -ldflags='-s -w'}, which is
 * why gopherlens resolves symbols here (DESIGN.md decision 4). Layouts follow
 * src/debug/gosym/pclntab.go and runtime/symtab.go:
 *
 * <ul>
 *   <li>1.2-1.15: functab of {pc, funcoff} pointer pairs right after an 8+ptrSize header; one
 *       global file table; names, pc tables and funcs are offsets into the whole table.
 *   <li>1.16-1.17: a header of offsets to funcnametab, cutab, filetab, pctab and functab;
 *       files are per compilation unit.
 *   <li>1.18+: as 1.16, but functab entries are uint32 offsets from the start of the text
 *       (runtime.text) and the header has a text-start field (zero since Go 1.26).
 * </ul>
 *
 * Nothing is materialised: every query reads the mapped bytes, so a table with 200k functions
 * costs no heap. Lookups by name scan the name table without building strings.
 */
public final class Pclntab {
  /** Table layouts, named by the first Go release that wrote each magic. */
  public enum Format {
    GO_1_2(0xfffffffbL),
    GO_1_16(0xfffffffaL),
    GO_1_18(0xfffffff0L),
    GO_1_20(0xfffffff1L);

    final long magic;

    Format(long magic) {
      this.magic = magic;
    }

    static Format ofMagic(long magic) {
      for (Format f : values()) {
        if (f.magic == magic) {
          return f;
        }
      }
      return null;
    }

    boolean textRelative() {
      return this == GO_1_18 || this == GO_1_20;
    }
  }

  static final int PTR_SIZE = 8;
  /** x86-64 instructions are byte-aligned: pc deltas are in units of 1. */
  static final int MIN_LC = 1;
  // Longest seen: 1.4 KB (a generated type:.eq function); the cap bounds work on corrupt offsets.
  private static final int MAX_NAME = 16 << 10;
  private static final int MAX_FILE_NAME = 1 << 14;

  private final ByteView data;
  private final Format format;
  private final long textStart;
  private final int nfunc;
  private final ByteView funcnametab;
  private final ByteView cutab;
  private final ByteView filetab;
  private final ByteView pctab;
  private final ByteView functab;
  private final ByteView funcdata;
  private final int fieldSize;
  private volatile NameIndex nameIndex;

  private Pclntab(Format format, ByteView data, long textStart, int nfunc, ByteView funcnametab, ByteView cutab,
      ByteView filetab, ByteView pctab, ByteView functab, ByteView funcdata) {
    this.data = data;
    this.format = format;
    this.textStart = textStart;
    this.nfunc = nfunc;
    this.funcnametab = funcnametab;
    this.cutab = cutab;
    this.filetab = filetab;
    this.pctab = pctab;
    this.functab = functab;
    this.funcdata = funcdata;
    this.fieldSize = format.textRelative() ? 4 : PTR_SIZE;
  }

  /** The format whose header starts at {@code off}, or null if the magic and fixed bytes do not match. */
  static Format headerFormat(ByteView view, long off) {
    if (!view.contains(off, 8 + 2 * PTR_SIZE)) {
      return null;
    }
    Format f = Format.ofMagic(view.u32(off));
    if (f == null || view.u8(off + 4) != 0 || view.u8(off + 5) != 0 || view.u8(off + 6) != MIN_LC
        || view.u8(off + 7) != PTR_SIZE) {
      return null;
    }
    return f;
  }

  /** The header's text-start word (1.18+); zero when the linker no longer fills it (1.26+). */
  static long headerTextStart(ByteView data) {
    return data.u64(8 + 2 * PTR_SIZE);
  }

  /** Offset of table {@code word} (0 = nfunc) in a 1.16+ header. */
  static long headerWord(ByteView data, int word) {
    return data.u64(8 + (long) word * PTR_SIZE);
  }

  /**
   * Parses the table at the start of {@code data}.
   *
   * @param textStart address of runtime.text; used by 1.18+ tables, whose entries are offsets
   */
  static Pclntab parse(ByteView data, long textStart) {
    Format format = headerFormat(data, 0);
    if (format == null) {
      throw data.corrupt(data.contains(0, 4)
          ? "bad header (magic 0x" + Long.toHexString(data.u32(0)) + ", need x86-64 quantum 1 and 8-byte pointers)"
          : "table is only " + data.size() + " bytes");
    }
    long nfunc = data.u64(8);
    if (nfunc < 0 || nfunc > Integer.MAX_VALUE / 2) {
      throw data.corrupt("function count " + Long.toUnsignedString(nfunc) + " is impossible");
    }
    Pclntab t = switch (format) {
      case GO_1_2 -> parse12(data, (int) nfunc);
      case GO_1_16 -> parse116(format, data, (int) nfunc, 2, 0);
      case GO_1_18, GO_1_20 -> parse116(format, data, (int) nfunc, 3, textStart);
    };
    if (!t.functab.contains(0, (2L * nfunc + 1) * t.fieldSize)) {
      throw data.corrupt(nfunc + " functab entries do not fit in the table");
    }
    return t;
  }

  private static Pclntab parse12(ByteView data, int nfunc) {
    // Func records, names and pc tables are offsets into the whole table; the functab starts
    // after the header and is followed by the offset of the file table.
    long functabSize = (2L * nfunc + 1) * PTR_SIZE;
    ByteView functab = data.tail(8 + PTR_SIZE);
    long fileoff = functab.u32(functabSize);
    long nfiles = data.u32(fileoff);
    ByteView filetab = data.slice(fileoff, nfiles * 4);
    return new Pclntab(Format.GO_1_2, data, 0, nfunc, data, null, filetab, data, functab, data);
  }

  private static Pclntab parse116(Format format, ByteView data, int nfunc, int firstTable, long textStart) {
    ByteView[] tables = new ByteView[5];
    for (int i = 0; i < tables.length; i++) {
      tables[i] = data.tail(headerWord(data, firstTable + i));
    }
    // The functab opens the func-record area; record offsets are relative to its start.
    return new Pclntab(format, data, textStart, nfunc, tables[0], tables[1], tables[2], tables[3], tables[4], tables[4]);
  }

  public Format format() {
    return format;
  }

  /** runtime.text as used for this table's offsets (0 for formats that store absolute pcs). */
  public long textStart() {
    return textStart;
  }

  public int functionCount() {
    return nfunc;
  }

  /** Entry address of function {@code i}, {@code 0 <= i < functionCount()}. */
  public long entry(int i) {
    checkIndex(i, nfunc);
    return pc(i);
  }

  /** End address (exclusive) of function {@code i}: the next entry, or the table's end pc. */
  public long end(int i) {
    checkIndex(i, nfunc);
    return pc(i + 1);
  }

  public String name(int i) {
    checkIndex(i, nfunc);
    long off = nameOffset(i);
    return funcnametab.cString(off, MAX_NAME);
  }

  /** Lowest index of a function named {@code name}, or -1. */
  public int indexOf(String name) {
    int[] all = indexesOf(name);
    return all.length == 0 ? -1 : all[0];
  }

  /**
   * Every function named {@code name}, ascending. Names are not unique: the linker's ABI
   * wrappers (between the register ABI and assembly's stack ABI0) carry the name of the
   * function they wrap. The first call builds a {@link NameIndex} (one pass over the names);
   * a race builds it twice, harmlessly.
   */
  public int[] indexesOf(String name) {
    NameIndex index = nameIndex;
    if (index == null) {
      index = NameIndex.build(this, funcnametab);
      nameIndex = index;
    }
    return index.findAll(name);
  }

  /** Index of the function containing {@code pc}, or -1 if no function does. */
  public int indexAt(long pc) {
    if (nfunc == 0 || Long.compareUnsigned(pc, pc(0)) < 0 || Long.compareUnsigned(pc, pc(nfunc)) >= 0) {
      return -1;
    }
    int lo = 0;
    int hi = nfunc - 1;
    while (lo < hi) { // last i with pc(i) <= pc
      int mid = (lo + hi + 1) >>> 1;
      if (Long.compareUnsigned(pc(mid), pc) <= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /**
   * Function, file and line of {@code pc}. For inlined code the file and line are those of the
   * inlined callee (what the pc tables record) and the function is the one it was inlined into.
   */
  public Optional<SourceLocation> sourceAt(long pc) {
    int i = indexAt(pc);
    if (i < 0) {
      return Optional.empty();
    }
    long func = funcOffset(i);
    long entry = entry(i);
    int line = PcValues.valueAt(pctab, field(func, 6), entry, pc);
    String file = file(func, PcValues.valueAt(pctab, field(func, 5), entry, pc));
    return Optional.of(new SourceLocation(name(i), file, line));
  }

  private String file(long func, int fileIndex) {
    if (format == Format.GO_1_2) {
      // Index 0 is unused in the 1.2 global file table.
      if (fileIndex <= 0 || fileIndex >= filetab.size() / 4) {
        return "";
      }
      return data.cString(filetab.u32(4L * fileIndex), MAX_FILE_NAME);
    }
    if (fileIndex < 0) {
      return "";
    }
    long cu = field(func, 8);
    long fileOff = cutab.u32((cu + fileIndex) * 4);
    return fileOff == 0xffffffffL ? "" : filetab.cString(fileOff, MAX_FILE_NAME);
  }

  private long pc(int i) {
    long v = fieldSize == 4 ? functab.u32(2L * i * 4) : functab.u64(2L * i * PTR_SIZE);
    return format.textRelative() ? textStart + v : v;
  }

  private long funcOffset(int i) {
    return fieldSize == 4 ? functab.u32((2L * i + 1) * 4) : functab.u64((2L * i + 1) * PTR_SIZE);
  }

  long nameOffset(int i) {
    long off = field(funcOffset(i), 1);
    if (off >= 0x80000000L) {
      throw data.corrupt("function " + i + " has a negative name offset");
    }
    return off;
  }

  /**
   * Field {@code n} (1-based, uint32) of the _func at {@code funcOff}; the first field is the
   * entry, a uint32 since 1.18 and a pointer before.
   */
  private long field(long funcOff, int n) {
    long first = format.textRelative() ? 4 : PTR_SIZE;
    return funcdata.u32(funcOff + first + (n - 1) * 4L);
  }

  private void checkIndex(int i, int n) {
    if (i < 0 || i >= n) {
      throw new IllegalArgumentException("function index " + i + " not in [0, " + n + ")");
    }
  }
}
