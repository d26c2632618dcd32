package io.gopherlens.goproc;

/** One ELF program header: how a file range is mapped into memory. */
public record ElfSegment(int type, int flags, long offset, long vaddr, long fileSize, long memSize) {
  public static final int PT_LOAD = 1;
  static final int PT_DYNAMIC = 2;
  static final int PT_INTERP = 3;
  static final int PT_NOTE = 4;
  static final int PF_X = 1;
  static final int PF_W = 2;

  public boolean load() {
    return type == PT_LOAD;
  }

  public boolean executable() {
    return (flags & PF_X) != 0;
  }

  public boolean writable() {
    return (flags & PF_W) != 0;
  }

  /**
   * True if {@code va} lies in the file-backed part of this segment (not its zero-filled tail).
   * Unsigned arithmetic, so corrupt headers near 2^64 cannot wrap around.
   */
  public boolean mapsFileByte(long va) {
    return Long.compareUnsigned(va - vaddr, fileSize) < 0 && Long.compareUnsigned(va, vaddr) >= 0;
  }
}
