package io.gopherlens.goproc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Go string literals as {@code strconv.Quote} writes them into build settings, e.g.
 * {@code -ldflags="-s -w"}. Only what runtime/debug.ParseBuildInfo accepts is decoded.
 */
final class GoQuoted {
  private GoQuoted() {}

  /** Length of the quoted literal at the start of {@code s}, or -1 if there is none. */
  static int prefixLength(String s) {
    if (s.isEmpty()) {
      return -1;
    }
    char q = s.charAt(0);
    if (q == '`') {
      int end = s.indexOf('`', 1);
      return end < 0 ? -1 : end + 1;
    }
    if (q != '"') {
      return -1;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i + 1;
      } else if (c == '\n') {
        return -1;
      }
    }
    return -1;
  }

  /** The value of a complete literal, or empty if {@code s} is not exactly one valid literal. */
  static Optional<String> unquote(String s) {
    if (prefixLength(s) != s.length()) {
      return Optional.empty();
    }
    if (s.charAt(0) == '`') {
      return Optional.of(s.substring(1, s.length() - 1).replace("\r", ""));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int end = s.length() - 1;
    for (int i = 1; i < end; ) {
      char c = s.charAt(i);
      if (c != '\\') {
        int cp = s.codePointAt(i);
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp);
        continue;
      }
      if (i + 1 >= end) {
        return Optional.empty();
      }
      char e = s.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a' -> out.write(7);
        case 'b' -> out.write(8);
        case 'f' -> out.write(12);
        case 'n' -> out.write('\n');
        case 'r' -> out.write('\r');
        case 't' -> out.write('\t');
        case 'v' -> out.write(11);
        case '\\' -> out.write('\\');
        case '"' -> out.write('"');
        case 'x', 'u', 'U' -> {
          int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          long v = number(s, i, end, digits, 16);
          if (v < 0 || (e != 'x' && (v > Character.MAX_CODE_POINT || (v >= 0xd800 && v < 0xe000)))) {
            return Optional.empty();
          }
          if (e == 'x') {
            out.write((int) v);
          } else {
            out.writeBytes(new String(Character.toChars((int) v)).getBytes(StandardCharsets.UTF_8));
          }
          i += digits;
        }
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          long v = number(s, i - 1, end, 3, 8);
          if (v < 0 || v > 255) {
            return Optional.empty();
          }
          out.write((int) v);
          i += 2;
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.of(out.toString(StandardCharsets.UTF_8));
  }

  private static long number(String s, int from, int end, int digits, int radix) {
    if (from + digits > end) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < from + digits; i++) {
      int d = Character.digit(s.charAt(i), radix);
      if (d < 0) {
        return -1;
      }
      v = v * radix + d;
    }
    return v;
  }
}
