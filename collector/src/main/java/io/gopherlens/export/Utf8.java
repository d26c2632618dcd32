package io.gopherlens.export;

/**
 * UTF-8 length and encoding of a String straight into a byte array, without the intermediate
 * array {@code String.getBytes} makes. Lone surrogates become {@code ?}, as in {@code getBytes}.
 */
public final class Utf8 {
  private Utf8() {}

  public static int encodedLength(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          n += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          n += 2; // 4 bytes for the pair of chars
          i++;
        } else if (!Character.isSurrogate(c)) {
          n += 2;
        }
      }
    }
    return n;
  }

  /** Writes {@code s} at {@code b[p]}, which has room for {@link #encodedLength}; returns the end. */
  public static int encode(String s, byte[] b, int p) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[p++] = (byte) c;
      } else if (c < 0x800) {
        b[p++] = (byte) (0xc0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[p++] = (byte) (0xf0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (cp & 0x3f));
      } else if (Character.isSurrogate(c)) {
        b[p++] = '?';
      } else {
        b[p++] = (byte) (0xe0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    return p;
  }
}
