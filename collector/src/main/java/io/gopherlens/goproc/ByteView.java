package io.gopherlens.goproc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked, little-endian window on part of a file. Every read checks its range and
 * reports a violation as {@link GoBinaryException}, so the parsers can follow offsets found in
 * untrusted headers without ever raising IndexOutOfBounds or BufferUnderflow.
 *
 * <p>Offsets are {@code long} so that 64-bit header fields can be passed through unconverted;
 * anything outside {@code [0, size)} is rejected.
 */
final class ByteView {
  private final ByteBuffer buf;
  private final int base;
  private final int size;
  private final String source;
  private final String what;

  private ByteView(ByteBuffer buf, int base, int size, String source, String what) {
    this.buf = buf;
    this.base = base;
    this.size = size;
    this.source = source;
    this.what = what;
  }

  /** A view of the whole buffer (its position and limit are ignored; capacity counts). */
  static ByteView of(ByteBuffer buffer, String source, String what) {
    ByteBuffer le = buffer.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
    return new ByteView(le, 0, le.capacity(), source, what);
  }

  long size() {
    return size;
  }

  /** Offset of this view's first byte in the buffer it was cut from (the file). */
  long baseOffset() {
    return base;
  }

  String source() {
    return source;
  }

  boolean contains(long off, long len) {
    return off >= 0 && len >= 0 && off <= size && len <= size - off;
  }

  int u8(long off) {
    return buf.get(index(off, 1)) & 0xff;
  }

  int u16(long off) {
    return buf.getShort(index(off, 2)) & 0xffff;
  }

  long u32(long off) {
    return buf.getInt(index(off, 4)) & 0xffffffffL;
  }

  int s32(long off) {
    return buf.getInt(index(off, 4));
  }

  /** Raw 64-bit value; values above Long.MAX_VALUE come back negative and fail range checks. */
  long u64(long off) {
    return buf.getLong(index(off, 8));
  }

  /** A sub-view that reports errors under the same structure name. */
  ByteView slice(long off, long len) {
    return slice(off, len, what);
  }

  ByteView slice(long off, long len, String sliceWhat) {
    check(off, len);
    return new ByteView(buf, base + (int) off, (int) len, source, sliceWhat);
  }

  /** From {@code off} to the end of this view. */
  ByteView tail(long off) {
    check(off, 0);
    return slice(off, size - off);
  }

  /** True if the bytes at {@code off} equal {@code pattern}; false (not an error) past the end. */
  boolean startsWith(long off, byte[] pattern) {
    if (!contains(off, pattern.length)) {
      return false;
    }
    int at = base + (int) off;
    for (int i = 0; i < pattern.length; i++) {
      if (buf.get(at + i) != pattern[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Length of the NUL-terminated string at {@code off}; a missing terminator within
   * {@code max} bytes or before the end is corruption, which also bounds the work per string.
   */
  int cStringLength(long off, int max) {
    check(off, 0);
    long limit = Math.min(size - off, max);
    int at = base + (int) off;
    for (int i = 0; i < limit; i++) {
      if (buf.get(at + i) == 0) {
        return i;
      }
    }
    throw corrupt("string at 0x" + Long.toHexString(off) + " has no terminator within " + limit + " bytes");
  }

  String cString(long off, int max) {
    int len = cStringLength(off, max);
    return new String(bytes(off, len), StandardCharsets.UTF_8);
  }

  /** Copies {@code len} bytes; callers bound {@code len} before asking. */
  byte[] bytes(long off, int len) {
    int at = index(off, len);
    byte[] out = new byte[len];
    buf.get(at, out);
    return out;
  }

  GoBinaryException corrupt(String detail) {
    return GoBinaryException.corrupt(what, source, detail);
  }

  private int index(long off, int len) {
    check(off, len);
    return base + (int) off;
  }

  private void check(long off, long len) {
    if (!contains(off, len)) {
      throw corrupt(
          "read of " + len + " bytes at 0x" + Long.toHexString(off) + " outside its " + size + "-byte range");
    }
  }
}
