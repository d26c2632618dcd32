package io.gopherlens.goproc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The dynamic-linking facts gopherlens needs: the interpreter and DT_NEEDED libraries. A Go
 * binary that needs libc was linked by the system linker, usually because of cgo.
 */
final class ElfDynamic {
  private static final long DT_NULL = 0;
  private static final long DT_NEEDED = 1;
  private static final long DT_STRTAB = 5;
  private static final int ENTRY_SIZE = 16;
  private static final int MAX_NAME = 4096;
  // Real tables hold tens of entries; the cap bounds work on a corrupt PT_DYNAMIC size.
  private static final int MAX_ENTRIES = 1 << 14;

  private ElfDynamic() {}

  static Optional<String> interpreter(ElfFile elf) {
    for (ElfSegment seg : elf.segments()) {
      if (seg.type() == ElfSegment.PT_INTERP) {
        ByteView bytes = elf.data(seg);
        return bytes.size() == 0 ? Optional.empty() : Optional.of(bytes.cString(0, MAX_NAME));
      }
    }
    return elf.section(".interp").map(s -> elf.data(s).cString(0, MAX_NAME));
  }

  static List<String> needed(ElfFile elf) {
    ByteView dyn = dynamicTable(elf);
    if (dyn == null) {
      return List.of();
    }
    List<Long> nameOffsets = new ArrayList<>();
    long strtabVa = -1;
    for (long at = 0; dyn.contains(at, ENTRY_SIZE) && at < (long) MAX_ENTRIES * ENTRY_SIZE; at += ENTRY_SIZE) {
      long tag = dyn.u64(at);
      long val = dyn.u64(at + 8);
      if (tag == DT_NULL) {
        break;
      } else if (tag == DT_NEEDED) {
        nameOffsets.add(val);
      } else if (tag == DT_STRTAB) {
        strtabVa = val;
      }
    }
    if (nameOffsets.isEmpty() || strtabVa == -1) {
      return List.of();
    }
    ByteView strtab = elf.segmentTail(strtabVa, "ELF dynamic string table");
    List<String> out = new ArrayList<>(nameOffsets.size());
    for (long off : nameOffsets) {
      out.add(strtab.cString(off, MAX_NAME));
    }
    return Collections.unmodifiableList(out);
  }

  private static ByteView dynamicTable(ElfFile elf) {
    for (ElfSegment seg : elf.segments()) {
      if (seg.type() == ElfSegment.PT_DYNAMIC) {
        return elf.data(seg);
      }
    }
    for (ElfSection s : elf.sections()) {
      if (s.type() == ElfSection.SHT_DYNAMIC) {
        return elf.data(s);
      }
    }
    return null;
  }
}
