package io.gopherlens.gomaps;

import java.time.Duration;
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

  /** "96 MiB", or "at least 512 KiB" when only the capacity bounds it. */
  static String owned(MapState s) {
    return s.bytes() >= 0 ? bytes(s.bytes()) : "at least " + bytes(s.bytesAtLeast());
  }

  /** 42s, 3m05s, 2h10m. */
  static String duration(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
  }

  /** 8388608 -> "8,388,608". */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
