package io.gopherlens.agent;

/** Parses sizes as options take them: 65536, 64KiB, 16MiB, 1GiB (also KB/MB/GB as powers of 1024). */
public final class ByteSizes {
  private ByteSizes() {}

  public static long parse(String value) {
    String v = value == null ? "" : value.trim();
    long unit = 1;
    String[][] units = {{"KiB", "1024"}, {"MiB", "1048576"}, {"GiB", "1073741824"}, {"KB", "1024"}, {"MB", "1048576"}, {"GB", "1073741824"}, {"B", "1"}};
    for (String[] u : units) {
      if (v.endsWith(u[0])) {
        unit = Long.parseLong(u[1]);
        v = v.substring(0, v.length() - u[0].length()).trim();
        break;
      }
    }
    try {
      long n = Long.parseLong(v);
      if (n >= 0 && n <= Long.MAX_VALUE / unit) return n * unit;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("must be a size such as 65536, 64KiB or 16MiB, not '" + value + "'");
  }
}
