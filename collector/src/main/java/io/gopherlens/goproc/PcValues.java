package io.gopherlens.goproc;

/**
 * Decodes Go's pc-value tables (pcfile, pcln, pcsp): a run of (value delta, pc delta) varint
 * pairs starting at the function entry, per runtime/symtab.go:pcvalue and step.
 */
final class PcValues {
  private PcValues() {}

  /**
   * The value in effect at {@code target}, or -1 if the table has none. Work is bounded by the
   * table's bytes: every step consumes at least two.
   */
  static int valueAt(ByteView pctab, long off, long entry, long target) {
    if (off == 0) {
      return -1; // the runtime's "no table"
    }
    long[] cursor = {off};
    int value = -1;
    long pc = entry;
    boolean first = true;
    while (true) {
      long uvdelta = uvarint(pctab, cursor);
      if (uvdelta == 0 && !first) {
        return -1;
      }
      first = false;
      // Zig-zag: low bit set means negative.
      int vdelta = (uvdelta & 1) != 0 ? ~(int) (uvdelta >>> 1) : (int) (uvdelta >>> 1);
      long pcdelta = uvarint(pctab, cursor) * Pclntab.MIN_LC;
      pc += pcdelta;
      value += vdelta;
      if (Long.compareUnsigned(target, pc) < 0) {
        return value;
      }
    }
  }

  /** A uint32 varint, as the runtime's readvarint reads them (at most 5 bytes). */
  private static long uvarint(ByteView b, long[] cursor) {
    long v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int x = b.u8(cursor[0]++);
      v |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return v & 0xffffffffL;
      }
    }
    throw b.corrupt("pc-value varint at 0x" + Long.toHexString(cursor[0] - 5) + " is longer than 5 bytes");
  }
}
