package io.gopherlens.goproc;

/**
 * One ELF section header. Addresses and offsets are raw 64-bit values from the file; readers
 * range-check them before use.
 */
public record ElfSection(String name, int type, long flags, long addr, long offset, long size) {
  /** SHT_NOBITS: occupies memory but no file bytes (.bss). */
  public static final int SHT_NOBITS = 8;

  static final int SHT_NOTE = 7;
  static final int SHT_DYNAMIC = 6;
  static final long SHF_ALLOC = 0x2;

  public boolean hasFileBytes() {
    return type != SHT_NOBITS;
  }
}
