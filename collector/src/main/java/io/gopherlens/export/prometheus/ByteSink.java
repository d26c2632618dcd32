package io.gopherlens.export.prometheus;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A growable byte array with UTF-8 encoding and exposition-format escaping built in. The writer
 * renders lines here and moves them to the response ByteBuf in large blocks: a 100k-series scrape
 * is millions of tiny writes, and a ByteBuf checks bounds and reference count on each one.
 */
final class ByteSink {
  private byte[] bytes;
  private int size;

  ByteSink(int initialCapacity) {
    bytes = new byte[initialCapacity];
  }

  int size() {
    return size;
  }

  void reset() {
    size = 0;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  /** Moves everything written so far to {@code out}. */
  void drainTo(ByteBuf out) {
    out.writeBytes(bytes, 0, size);
    size = 0;
  }

  void write(int b) {
    if (size == bytes.length) {
      grow(1);
    }
    bytes[size++] = (byte) b;
  }

  void write(byte[] b) {
    write(b, 0, b.length);
  }

  void write(byte[] b, int offset, int length) {
    if (size + length > bytes.length) {
      grow(length);
    }
    System.arraycopy(b, offset, bytes, size, length);
    size += length;
  }

  void write(ByteSink other) {
    write(other.bytes, 0, other.size);
  }

  void writeUtf8(String s) {
    encode(s, false, false);
  }

  /** Label values escape {@code \}, {@code "} and newline in both formats. */
  void writeLabelValue(String s) {
    encode(s, true, true);
  }

  /**
   * HELP text escapes {@code \} and newline; OpenMetrics also escapes {@code "}, text 0.0.4 must
   * not (its parser would keep the backslash).
   */
  void writeHelp(String s, boolean openMetrics) {
    encode(s, true, openMetrics);
  }

  private void encode(String s, boolean escape, boolean escapeQuote) {
    int length = s.length();
    // Worst case 3 bytes per char (a surrogate pair is 2 chars for 4 bytes); an escape is 2.
    if (size + 3 * length > bytes.length) {
      grow(3 * length);
    }
    byte[] b = bytes;
    int p = size;
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (escape && (c == '\\' || c == '\n' || (c == '"' && escapeQuote))) {
          b[p++] = '\\';
          b[p++] = (byte) (c == '\n' ? 'n' : c);
        } else {
          b[p++] = (byte) c;
        }
      } else if (c < 0x800) {
        b[p++] = (byte) (0xc0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < length
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(i + 1));
          b[p++] = (byte) (0xf0 | (cp >> 18));
          b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
          b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
          b[p++] = (byte) (0x80 | (cp & 0x3f));
          i++;
        } else {
          b[p++] = '?'; // unpaired surrogate: not encodable, as Netty and the JDK do
        }
      } else {
        b[p++] = (byte) (0xe0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    size = p;
  }

  private void grow(int needed) {
    bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + needed));
  }
}
