package io.gopherlens.goproc;

/**
 * A read position in a DWARF section. Every read goes through {@link ByteView}'s range checks,
 * so a length or offset taken from corrupt data ends in GoBinaryException, never in an
 * out-of-bounds read.
 */
final class DwarfCursor {
  // A 64-bit value needs at most 10 LEB128 bytes; more means the data is not DWARF.
  private static final int MAX_LEB_BYTES = 10;
  // Go's longest names (generic instantiations, struct literal types) are a few KiB.
  static final int MAX_STRING = 1 << 20;

  private final ByteView view;
  private long pos;

  DwarfCursor(ByteView view, long pos) {
    this.view = view;
    this.pos = pos;
  }

  ByteView view() {
    return view;
  }

  long pos() {
    return pos;
  }

  void seek(long to) {
    pos = to;
  }

  boolean before(long end) {
    return pos < end;
  }

  int u8() {
    int v = view.u8(pos);
    pos += 1;
    return v;
  }

  int u16() {
    int v = view.u16(pos);
    pos += 2;
    return v;
  }

  long u24() {
    long v = view.u16(pos) | ((long) view.u8(pos + 2) << 16);
    pos += 3;
    return v;
  }

  long u32() {
    long v = view.u32(pos);
    pos += 4;
    return v;
  }

  long u64() {
    long v = view.u64(pos);
    pos += 8;
    return v;
  }

  /** An unsigned value of 1, 2, 4 or 8 bytes (address and offset sizes). */
  long unsigned(int size) {
    switch (size) {
      case 1:
        return u8();
      case 2:
        return u16();
      case 4:
        return u32();
      case 8:
        return u64();
      default:
        throw view.corrupt("unsupported value size " + size + " at 0x" + Long.toHexString(pos));
    }
  }

  long uleb() {
    long result = 0;
    for (int i = 0; i < MAX_LEB_BYTES; i++) {
      int b = u8();
      result |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw view.corrupt("LEB128 number longer than " + MAX_LEB_BYTES + " bytes at 0x" + Long.toHexString(pos));
  }

  long sleb() {
    long result = 0;
    int shift = 0;
    for (int i = 0; i < MAX_LEB_BYTES; i++) {
      int b = u8();
      result |= (long) (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) == 0) {
        if (shift < 64 && (b & 0x40) != 0) {
          result |= -1L << shift;
        }
        return result;
      }
    }
    throw view.corrupt("LEB128 number longer than " + MAX_LEB_BYTES + " bytes at 0x" + Long.toHexString(pos));
  }

  void skip(long n) {
    if (n < 0 || !view.contains(pos, n)) {
      throw view.corrupt("skip of " + n + " bytes at 0x" + Long.toHexString(pos) + " leaves its " + view.size()
          + "-byte range");
    }
    pos += n;
  }

  /** The next {@code len} bytes as a view, e.g. a location expression. */
  ByteView block(long len) {
    ByteView b = view.slice(pos, len);
    pos += len;
    return b;
  }

  String cString() {
    String s = view.cString(pos, MAX_STRING);
    skipCString();
    return s;
  }

  void skipCString() {
    pos += view.cStringLength(pos, MAX_STRING) + 1L;
  }
}
