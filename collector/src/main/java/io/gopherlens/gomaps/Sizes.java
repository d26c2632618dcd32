package io.gopherlens.gomaps;

import java.util.Locale;

/** Human-readable byte counts and numbers for map reports and findings. */
final class Sizes {
  private Sizes() {}

  /** 1536 -> "1.5 KiB", 100663296 -> "96 MiB". */
  static String bytes(long b) {
    if (b < 0) {
      return "?";
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = b;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? b + " B" : (v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f %s", v, units[u])
        : String.format(Locale.ROOT, "%.1f %s", v, units[u]));
  }

  /** 8388608 -> "8,388,608". */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
