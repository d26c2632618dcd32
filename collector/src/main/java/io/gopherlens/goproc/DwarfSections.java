package io.gopherlens.goproc;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The DWARF sections the reader needs, decompressed. Go's internal linker zlib-compresses every
 * DWARF section that shrinks: on ELF from Go 1.19 as {@code .debug_*} with SHF_COMPRESSED and an
 * Elf64_Chdr (all toolchains installed here, 1.19 to 1.27), before that (golang/go#50796) and on
 * other formats as {@code .zdebug_*} with a "ZLIB" + 8-byte big-endian size header, which
 * {@code objcopy --compress-debug-sections=zlib-gnu} also writes. Sections that did not shrink,
 * and all sections of externally linked binaries, stay uncompressed; the forms can mix in a file.
 */
final class DwarfSections {
  static final long SHF_COMPRESSED = 0x800;
  private static final int ELFCOMPRESS_ZLIB = 1;
  private static final int ELFCOMPRESS_ZSTD = 2;
  private static final int CHDR64_SIZE = 24;
  private static final int ZDEBUG_HEADER = 12;
  private static final byte[] ZLIB_MAGIC = {'Z', 'L', 'I', 'B'};
  // deflate cannot expand input by more than about 1032:1; a larger claim is corruption, and
  // refusing it up front keeps a forged size from costing memory.
  private static final long MAX_RATIO = 1032;
  // Go's largest binaries carry a few hundred MiB of DWARF; ByteView addresses at most 2 GiB.
  private static final long MAX_DECOMPRESSED = 1L << 30;

  final ByteView info;
  final ByteView abbrev;
  final Optional<ByteView> str;
  final Optional<ByteView> lineStr;
  final Optional<ByteView> strOffsets;
  final Optional<ByteView> addr;
  /** How .debug_info was stored, e.g. "zlib (SHF_COMPRESSED)"; for reports. */
  final String compression;

  DwarfSections(ByteView info, ByteView abbrev, Optional<ByteView> str, Optional<ByteView> lineStr,
      Optional<ByteView> strOffsets, Optional<ByteView> addr, String compression) {
    this.info = info;
    this.abbrev = abbrev;
    this.str = str;
    this.lineStr = lineStr;
    this.strOffsets = strOffsets;
    this.addr = addr;
    this.compression = compression;
  }

  /** Empty when the file has no (or an empty) .debug_info: built with -ldflags=-w or stripped. */
  static Optional<DwarfSections> read(ElfFile elf) {
    Optional<ElfSection> info = find(elf, "info");
    if (info.isEmpty() || !info.get().hasFileBytes() || info.get().size() == 0) {
      return Optional.empty();
    }
    ElfSection abbrev = find(elf, "abbrev").orElseThrow(() -> GoBinaryException.corrupt("DWARF", elf.source(),
        "the file has " + info.get().name() + " but no .debug_abbrev, so its entries cannot be decoded"));
    return Optional.of(new DwarfSections(
        contents(elf, info.get()),
        contents(elf, abbrev),
        find(elf, "str").map(s -> contents(elf, s)),
        find(elf, "line_str").map(s -> contents(elf, s)),
        find(elf, "str_offsets").map(s -> contents(elf, s)),
        find(elf, "addr").map(s -> contents(elf, s)),
        storage(info.get())));
  }

  private static Optional<ElfSection> find(ElfFile elf, String name) {
    Optional<ElfSection> plain = elf.section(".debug_" + name);
    return plain.isPresent() ? plain : elf.section(".zdebug_" + name);
  }

  private static String storage(ElfSection s) {
    if ((s.flags() & SHF_COMPRESSED) != 0) {
      return "zlib (SHF_COMPRESSED)";
    }
    return s.name().startsWith(".zdebug_") ? "zlib (.zdebug)" : "none";
  }

  /** The section's bytes, inflated if stored compressed. */
  static ByteView contents(ElfFile elf, ElfSection s) {
    String what = "DWARF " + s.name();
    ByteView stored = elf.data(s);
    ByteView raw = stored.slice(0, stored.size(), what);
    if ((s.flags() & SHF_COMPRESSED) != 0) {
      return inflateChdr(raw, what, elf.source());
    }
    if (s.name().startsWith(".zdebug_") && raw.startsWith(0, ZLIB_MAGIC)) {
      return inflateZdebug(raw, what, elf.source());
    }
    return raw;
  }

  /** SHF_COMPRESSED: an Elf64_Chdr (type, reserved, size, addralign) before the stream. */
  static ByteView inflateChdr(ByteView raw, String what, String source) {
    if (raw.size() < CHDR64_SIZE) {
      throw raw.corrupt("SHF_COMPRESSED section of " + raw.size() + " bytes has no room for its 24-byte header");
    }
    long type = raw.u32(0);
    if (type == ELFCOMPRESS_ZSTD) {
      throw GoBinaryException.unsupported(source, what + " is zstd-compressed; only zlib is read"
          + " (recompress with objcopy --compress-debug-sections=zlib)");
    }
    if (type != ELFCOMPRESS_ZLIB) {
      throw raw.corrupt("unknown compression type " + type + " in the section header");
    }
    return inflate(raw, CHDR64_SIZE, raw.u64(8), what, source);
  }

  /** .zdebug_*: "ZLIB", the uncompressed size as 8 big-endian bytes, then the stream. */
  static ByteView inflateZdebug(ByteView raw, String what, String source) {
    if (raw.size() < ZDEBUG_HEADER) {
      throw raw.corrupt(".zdebug section of " + raw.size() + " bytes has no room for its 12-byte header");
    }
    return inflate(raw, ZDEBUG_HEADER, Long.reverseBytes(raw.u64(4)), what, source);
  }

  private static ByteView inflate(ByteView raw, int headerSize, long claimed, String what, String source) {
    long compressedLen = raw.size() - headerSize;
    if (claimed < 0 || claimed > MAX_DECOMPRESSED) {
      throw GoBinaryException.unsupported(source, what + " claims " + Long.toUnsignedString(claimed)
          + " bytes uncompressed; at most " + MAX_DECOMPRESSED + " are read");
    }
    if (claimed > compressedLen * MAX_RATIO + 64) {
      throw raw.corrupt("claims " + claimed + " bytes uncompressed from " + compressedLen
          + " compressed bytes, more than zlib can expand");
    }
    byte[] in = raw.bytes(headerSize, (int) compressedLen);
    // Grow towards the claimed size instead of trusting it with one allocation.
    byte[] out = new byte[(int) Math.min(claimed, Math.max(1 << 16, compressedLen * 8))];
    int len = 0;
    Inflater z = new Inflater();
    try {
      z.setInput(in);
      while (true) {
        if (len == out.length) {
          if (len == claimed) {
            break;
          }
          out = Arrays.copyOf(out, (int) Math.min(claimed, (long) out.length * 2));
        }
        int n = z.inflate(out, len, out.length - len);
        len += n;
        if (n == 0) {
          if (z.finished()) {
            break;
          }
          if (z.needsInput() || z.needsDictionary()) {
            throw raw.corrupt("zlib stream ends after " + len + " of " + claimed + " bytes");
          }
        }
      }
      if (len != claimed || !z.finished() && z.inflate(new byte[1]) > 0) {
        throw raw.corrupt("zlib stream holds " + (len == claimed ? "more than " : "") + len + " bytes, header says "
            + claimed);
      }
    } catch (DataFormatException e) {
      throw raw.corrupt("bad zlib stream: " + e.getMessage());
    } finally {
      z.end();
    }
    return ByteView.of(ByteBuffer.wrap(out, 0, len).slice(), source, what);
  }
}
