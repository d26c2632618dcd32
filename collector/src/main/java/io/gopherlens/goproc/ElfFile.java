package io.gopherlens.goproc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A minimal ELF64 little-endian (x86-64) reader over a read-only memory map: section and
 * program headers, virtual address to file offset, notes and dynamic dependencies. Nothing
 * but the header tables is parsed up front, so opening a 700 MB binary costs microseconds and
 * no heap beyond the header lists.
 */
public final class ElfFile {
  public static final int ET_EXEC = 2;
  public static final int ET_DYN = 3;
  static final int EM_X86_64 = 62;

  private static final int EHDR_SIZE = 64;
  private static final int SHDR_SIZE = 64;
  private static final int PHDR_SIZE = 56;
  // Real binaries have tens of sections; the cap keeps a corrupt count from costing memory.
  private static final int MAX_HEADERS = 1 << 16;
  private static final int MAX_SECTION_NAME = 4096;

  private final ByteView file;
  private final int type;
  private final List<ElfSection> sections;
  private final List<ElfSegment> segments;

  private ElfFile(ByteView file, int type, List<ElfSection> sections, List<ElfSegment> segments) {
    this.file = file;
    this.type = type;
    this.sections = sections;
    this.segments = segments;
  }

  /**
   * Maps {@code path} read-only. The mapping outlives the channel; it is released when this
   * object becomes unreachable.
   */
  public static ElfFile open(Path path) {
    String source = path.toString();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw GoBinaryException.unsupported(source, "file is " + size + " bytes; at most 2 GiB can be mapped");
      }
      return parse(ch.map(FileChannel.MapMode.READ_ONLY, 0, size), source);
    } catch (IOException | SecurityException e) {
      throw GoBinaryException.io(source, e);
    }
  }

  /** Parses an ELF image held in memory; {@code source} names it in error messages. */
  public static ElfFile parse(ByteBuffer image, String source) {
    ByteView file = ByteView.of(image, source, "ELF");
    if (file.size() < 4 || !file.startsWith(0, new byte[] {0x7f, 'E', 'L', 'F'})) {
      throw GoBinaryException.notElf(source, "no ELF magic at offset 0");
    }
    if (file.size() < EHDR_SIZE) {
      throw file.corrupt("file is " + file.size() + " bytes, shorter than the 64-byte ELF header");
    }
    if (file.u8(4) != 2) {
      throw GoBinaryException.unsupported(source, "32-bit ELF (class " + file.u8(4) + "); only ELF64 is read");
    }
    if (file.u8(5) != 1) {
      throw GoBinaryException.unsupported(source, "big-endian ELF; only little-endian x86-64 is read");
    }
    int machine = file.u16(0x12);
    if (machine != EM_X86_64) {
      throw GoBinaryException.unsupported(source, "ELF machine " + machine + "; only x86-64 (62) is read");
    }
    int type = file.u16(0x10);
    List<ElfSection> sections = readSections(file);
    List<ElfSegment> segments = readSegments(file, sections);
    return new ElfFile(file, type, sections, segments);
  }

  public String source() {
    return file.source();
  }

  /** e_type: {@link #ET_EXEC} for fixed-address executables, {@link #ET_DYN} for PIE. */
  public int type() {
    return type;
  }

  public boolean pie() {
    return type == ET_DYN;
  }

  public List<ElfSection> sections() {
    return sections;
  }

  public List<ElfSegment> segments() {
    return segments;
  }

  public Optional<ElfSection> section(String name) {
    for (ElfSection s : sections) {
      if (s.name().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  public boolean hasSymtab() {
    return section(".symtab").isPresent();
  }

  /** DWARF in either spelling: Go before 1.19 compressed into {@code .zdebug_*}. */
  public boolean hasDwarf() {
    return section(".debug_info").isPresent() || section(".zdebug_info").isPresent();
  }

  /**
   * File offset of virtual address {@code va} per the PT_LOAD segments, or -1 if no segment
   * maps it from the file. The same rule holds for PIE (link-time addresses start near 0 or
   * 0x400000) and fixed-address executables: uprobes take exactly this offset.
   */
  public long fileOffset(long va) {
    for (ElfSegment seg : segments) {
      if (seg.load() && seg.mapsFileByte(va)) {
        return seg.offset() + (va - seg.vaddr());
      }
    }
    return -1;
  }

  /** GNU build ID in hex, when the linker wrote one (external linking usually does). */
  public Optional<String> gnuBuildId() {
    return ElfNotes.find(this, "GNU", ElfNotes.NT_GNU_BUILD_ID).map(ElfNotes::hex);
  }

  /** Go's build ID ({@code .note.go.buildid}), the string {@code go tool buildid} prints. */
  public Optional<String> goBuildId() {
    return ElfNotes.find(this, "Go", ElfNotes.NT_GO_BUILD_ID).map(ElfNotes::text);
  }

  /** The dynamic loader named by PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2. */
  public Optional<String> interpreter() {
    return ElfDynamic.interpreter(this);
  }

  /** DT_NEEDED entries, e.g. libc.so.6 for cgo binaries linked dynamically. */
  public List<String> neededLibraries() {
    return ElfDynamic.needed(this);
  }

  /** The whole file. */
  ByteView file() {
    return file;
  }

  /** The file bytes of {@code section}; a section that points past the end is corruption. */
  ByteView data(ElfSection section) {
    if (!section.hasFileBytes()) {
      return file.slice(0, 0);
    }
    if (!file.contains(section.offset(), section.size())) {
      throw file.corrupt("section " + section.name() + " (offset 0x" + Long.toHexString(section.offset())
          + ", size 0x" + Long.toHexString(section.size()) + ") extends past the end of the file");
    }
    return file.slice(section.offset(), section.size(), what(section.name()));
  }

  /** The file bytes of a segment, clipped to the file so truncated files still read up to EOF. */
  ByteView data(ElfSegment segment) {
    long off = segment.offset();
    if (off < 0 || off > file.size()) {
      return file.slice(0, 0);
    }
    long len = Long.compareUnsigned(segment.fileSize(), file.size() - off) > 0 ? file.size() - off : segment.fileSize();
    return file.slice(off, len);
  }

  /**
   * The file bytes of the segments {@code filter} accepts, clipped to the file, sorted and
   * merged. Whole-segment scans go over these, so each byte is read once however many
   * (possibly corrupt, overlapping) program headers claim it.
   */
  List<ByteView> fileRanges(Predicate<ElfSegment> filter) {
    List<long[]> ranges = new ArrayList<>();
    for (ElfSegment seg : segments) {
      if (filter.test(seg)) {
        ByteView bytes = data(seg);
        if (bytes.size() > 0) {
          ranges.add(new long[] {bytes.baseOffset(), bytes.baseOffset() + bytes.size()});
        }
      }
    }
    ranges.sort((a, b) -> Long.compare(a[0], b[0]));
    List<ByteView> out = new ArrayList<>();
    long from = -1;
    long to = -1;
    for (long[] r : ranges) {
      if (r[0] > to) {
        if (to > from) {
          out.add(file.slice(from, to - from));
        }
        from = r[0];
      }
      to = Math.max(to, r[1]);
    }
    if (to > from) {
      out.add(file.slice(from, to - from));
    }
    return out;
  }

  /** Link-time address of a file offset per the first PT_LOAD that maps it, or -1. */
  long addressOf(long fileOffset) {
    for (ElfSegment seg : segments) {
      if (seg.load() && Long.compareUnsigned(fileOffset - seg.offset(), seg.fileSize()) < 0
          && Long.compareUnsigned(fileOffset, seg.offset()) >= 0) {
        return seg.vaddr() + (fileOffset - seg.offset());
      }
    }
    return -1;
  }

  /**
   * {@code len} bytes at virtual address {@code va}, which must lie in the file-backed part of
   * one PT_LOAD segment (Go never needs a read that spans two).
   */
  ByteView bytesAt(long va, long len, String what) {
    for (ElfSegment seg : segments) {
      if (seg.load() && seg.mapsFileByte(va)) {
        long inSeg = va - seg.vaddr();
        if (len < 0 || Long.compareUnsigned(len, seg.fileSize() - inSeg) > 0) {
          break;
        }
        long off = seg.offset() + inSeg;
        if (!file.contains(off, len)) {
          break;
        }
        return file.slice(off, len, what);
      }
    }
    throw GoBinaryException.corrupt(what, file.source(), len + " bytes at address 0x" + Long.toHexString(va)
        + " are not mapped from the file by any PT_LOAD segment");
  }

  /** From {@code va} to the end of the file bytes of the PT_LOAD segment containing it. */
  ByteView segmentTail(long va, String what) {
    for (ElfSegment seg : segments) {
      if (seg.load() && seg.mapsFileByte(va)) {
        ByteView bytes = data(seg);
        long inSeg = va - seg.vaddr();
        if (inSeg < bytes.size()) {
          return bytes.slice(inSeg, bytes.size() - inSeg, what);
        }
      }
    }
    throw GoBinaryException.corrupt(what, file.source(), "address 0x" + Long.toHexString(va)
        + " is not mapped from the file by any PT_LOAD segment");
  }

  private static String what(String sectionName) {
    return "ELF section " + sectionName;
  }

  private static List<ElfSection> readSections(ByteView file) {
    long shoff = file.u64(0x28);
    int entsize = file.u16(0x3a);
    long count = file.u16(0x3c);
    int strndx = file.u16(0x3e);
    if (shoff == 0) {
      return List.of(); // no section table (sstrip-style): callers fall back to segments
    }
    if (entsize < SHDR_SIZE) {
      throw file.corrupt("section header size " + entsize + " is below " + SHDR_SIZE);
    }
    if (!file.contains(shoff, entsize)) {
      throw file.corrupt("section header table at 0x" + Long.toHexString(shoff) + " is outside the file");
    }
    // Extended numbering: with 0xff00 or more sections the real values live in section 0.
    if (count == 0) {
      count = file.u64(shoff + 32);
    }
    if (strndx == 0xffff) {
      strndx = (int) file.u32(shoff + 40);
    }
    if (count < 0 || count > MAX_HEADERS) {
      throw GoBinaryException.unsupported(file.source(), count + " section headers; at most " + MAX_HEADERS + " are read");
    }
    if (!file.contains(shoff, count * entsize)) {
      throw file.corrupt(count + " section headers at 0x" + Long.toHexString(shoff) + " extend past the end of the file");
    }
    ByteView names = null;
    if (strndx != 0) {
      if (Integer.compareUnsigned(strndx, (int) count) >= 0) {
        throw file.corrupt("section name table index " + strndx + " is not below the section count " + count);
      }
      long at = shoff + (long) strndx * entsize;
      long off = file.u64(at + 24);
      long size = file.u64(at + 32);
      if (!file.contains(off, size)) {
        throw file.corrupt("section name table extends past the end of the file");
      }
      names = file.slice(off, size);
    }
    List<ElfSection> out = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      long at = shoff + (long) i * entsize;
      long nameOff = file.u32(at);
      String name = names == null || nameOff >= names.size() ? "" : names.cString(nameOff, MAX_SECTION_NAME);
      out.add(new ElfSection(
          name, (int) file.u32(at + 4), file.u64(at + 8), file.u64(at + 16), file.u64(at + 24), file.u64(at + 32)));
    }
    return Collections.unmodifiableList(out);
  }

  private static List<ElfSegment> readSegments(ByteView file, List<ElfSection> sections) {
    long phoff = file.u64(0x20);
    int entsize = file.u16(0x36);
    long count = file.u16(0x38);
    if (count == 0xffff && !sections.isEmpty()) {
      count = file.u32(file.u64(0x28) + 44); // PN_XNUM: real count in section 0's sh_info
    }
    if (count == 0 || phoff == 0) {
      return List.of();
    }
    if (entsize < PHDR_SIZE) {
      throw file.corrupt("program header size " + entsize + " is below " + PHDR_SIZE);
    }
    if (count > MAX_HEADERS) {
      throw GoBinaryException.unsupported(file.source(), count + " program headers; at most " + MAX_HEADERS + " are read");
    }
    if (!file.contains(phoff, count * entsize)) {
      throw file.corrupt(count + " program headers at 0x" + Long.toHexString(phoff) + " extend past the end of the file");
    }
    List<ElfSegment> out = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      long at = phoff + (long) i * entsize;
      out.add(new ElfSegment((int) file.u32(at), (int) file.u32(at + 4), file.u64(at + 8), file.u64(at + 16),
          file.u64(at + 32), file.u64(at + 40)));
    }
    return Collections.unmodifiableList(out);
  }
}
