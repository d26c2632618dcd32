package io.gopherlens.goproc;

import java.nio.charset.StandardCharsets;

/**
 * Open-addressing hash index from function name to pclntab index, built on the first lookup
 * by name. It holds only ints (about 8 bytes per function) and hashes the names in place in
 * the mapped table, so no String is created per function.
 */
final class NameIndex {
  private static final int FNV_OFFSET = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;
  // Longest seen: 1.4 KB (a generated type:.eq function); the cap bounds work on corrupt offsets.
  private static final int MAX_NAME = 16 << 10;

  private final Pclntab table;
  private final ByteView names;
  private final int[] slots; // function index + 1; 0 marks an empty slot
  private final int mask;

  private NameIndex(Pclntab table, ByteView names, int[] slots) {
    this.table = table;
    this.names = names;
    this.slots = slots;
    this.mask = slots.length - 1;
  }

  /** Functions whose names cannot be read (corrupt offsets) are left out, not fatal. */
  static NameIndex build(Pclntab table, ByteView names) {
    int n = table.functionCount();
    int size = Integer.highestOneBit(Math.max(4, n) * 2 - 1) << 1; // power of two, load <= 1/2
    int[] slots = new int[size];
    int mask = size - 1;
    for (int i = 0; i < n; i++) {
      int h;
      try {
        h = hashAt(names, table.nameOffset(i));
      } catch (GoBinaryException unreadable) {
        continue;
      }
      int s = h & mask;
      while (slots[s] != 0) {
        s = (s + 1) & mask;
      }
      slots[s] = i + 1;
    }
    return new NameIndex(table, names, slots);
  }

  /**
   * Indexes of the functions called {@code name}, ascending (equal names were inserted in index
   * order); usually one, two for an ABI wrapper and its target.
   */
  int[] findAll(String name) {
    byte[] want = (name + "\0").getBytes(StandardCharsets.UTF_8);
    int h = FNV_OFFSET;
    for (int i = 0; i < want.length - 1; i++) {
      h = (h ^ (want[i] & 0xff)) * FNV_PRIME;
    }
    int[] found = new int[0];
    for (int s = h & mask; slots[s] != 0; s = (s + 1) & mask) {
      int i = slots[s] - 1;
      if (names.startsWith(table.nameOffset(i), want)) {
        found = java.util.Arrays.copyOf(found, found.length + 1);
        found[found.length - 1] = i;
      }
    }
    return found;
  }

  private static int hashAt(ByteView names, long off) {
    int len = names.cStringLength(off, MAX_NAME);
    int h = FNV_OFFSET;
    for (int i = 0; i < len; i++) {
      h = (h ^ names.u8(off + i)) * FNV_PRIME;
    }
    return h;
  }
}
