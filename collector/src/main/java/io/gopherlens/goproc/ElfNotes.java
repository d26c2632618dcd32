package io.gopherlens.goproc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads ELF notes (build IDs) from SHT_NOTE sections, or PT_NOTE segments when sections are gone. */
final class ElfNotes {
  static final int NT_GNU_BUILD_ID = 3;
  /** cmd/link's ELF_NOTE_GOBUILDID_TAG. */
  static final int NT_GO_BUILD_ID = 4;

  // Build IDs are tens of bytes; anything larger is not one of the notes we want.
  private static final int MAX_DESC = 4096;
  // Binaries have a handful of small note areas; the caps bound work on corrupt headers.
  private static final int MAX_AREAS = 16;
  private static final int MAX_AREA_SIZE = 1 << 16;

  private ElfNotes() {}

  /** The descriptor of the first note with this owner name and type. */
  static Optional<byte[]> find(ElfFile elf, String owner, int type) {
    for (ByteView notes : noteAreas(elf)) {
      Optional<byte[]> desc = scan(notes, owner, type);
      if (desc.isPresent()) {
        return desc;
      }
    }
    return Optional.empty();
  }

  private static ByteView capped(ByteView area) {
    return area.slice(0, Math.min(area.size(), MAX_AREA_SIZE));
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static List<ByteView> noteAreas(ElfFile elf) {
    List<ByteView> out = new ArrayList<>();
    for (ElfSection s : elf.sections()) {
      if (s.type() == ElfSection.SHT_NOTE && out.size() < MAX_AREAS) {
        out.add(capped(elf.data(s)));
      }
    }
    if (out.isEmpty()) {
      for (ElfSegment seg : elf.segments()) {
        if (seg.type() == ElfSegment.PT_NOTE && out.size() < MAX_AREAS) {
          out.add(capped(elf.data(seg)));
        }
      }
    }
    return out;
  }

  private static Optional<byte[]> scan(ByteView notes, String owner, int type) {
    byte[] name = owner.getBytes(StandardCharsets.US_ASCII);
    long at = 0;
    while (notes.contains(at, 12)) {
      long namesz = notes.u32(at);
      long descsz = notes.u32(at + 4);
      long ntype = notes.u32(at + 8);
      long nameAt = at + 12;
      long descAt = nameAt + align4(namesz);
      if (!notes.contains(descAt, descsz)) {
        throw notes.corrupt("note at 0x" + Long.toHexString(at) + " extends past the end of its section");
      }
      if (ntype == type && ownerIs(notes, nameAt, namesz, name) && descsz <= MAX_DESC) {
        return Optional.of(notes.bytes(descAt, (int) descsz));
      }
      at = descAt + align4(descsz);
    }
    return Optional.empty();
  }

  /** The owner is NUL-terminated, and Go pads "Go" to namesz 4; trailing NULs do not count. */
  private static boolean ownerIs(ByteView notes, long at, long namesz, byte[] name) {
    if (namesz < name.length || namesz > name.length + 4 || !notes.startsWith(at, name)) {
      return false;
    }
    for (long i = name.length; i < namesz; i++) {
      if (notes.u8(at + i) != 0) {
        return false;
      }
    }
    return true;
  }

  private static long align4(long n) {
    return (n + 3) & ~3L;
  }
}
