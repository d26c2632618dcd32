package io.gopherlens.export.prometheus;

/**
 * Writes numbers as Prometheus does, without a String per value: {@code +Inf}, {@code -Inf}, {@code
 * NaN}; integral values as plain digits; anything else in Go's {@code strconv.FormatFloat(v, 'g',
 * -1, 64)} form (shortest digits, exponent when below 1e-4 or at or above 1e6), which is what
 * Prometheus and client_golang print. One instance per scrape: it owns scratch space and is not
 * thread-safe.
 */
final class NumberWriter {
  // Integral doubles below 2^63 are written through the long path, exactly.
  private static final double LONG_LIMIT = 0x1p63;

  private final byte[] digits = new byte[24];
  // StringBuilder.append(double) formats in place, so shortest-digit conversion allocates nothing.
  private final StringBuilder decimal = new StringBuilder(32);

  void writeLong(ByteSink out, long value) {
    if (value == Long.MIN_VALUE) {
      out.writeUtf8("-9223372036854775808");
      return;
    }
    long v = value;
    if (v < 0) {
      out.write('-');
      v = -v;
    }
    int pos = digits.length;
    do {
      digits[--pos] = (byte) ('0' + (v % 10));
      v /= 10;
    } while (v != 0);
    out.write(digits, pos, digits.length - pos);
  }

  /**
   * @param canonical integral values get {@code .0}, as OpenMetrics wants for numbers in {@code
   *     le}/{@code quantile} labels (client_golang does the same)
   */
  void writeDouble(ByteSink out, double value, boolean canonical) {
    if (Double.isNaN(value)) {
      out.write(NAN);
    } else if (value == Double.POSITIVE_INFINITY) {
      out.write(POS_INF);
    } else if (value == Double.NEGATIVE_INFINITY) {
      out.write(NEG_INF);
    } else if (Math.abs(value) < LONG_LIMIT && value == (long) value) {
      writeLong(out, (long) value);
      if (canonical) {
        out.write('.');
        out.write('0');
      }
    } else {
      writeGoStyle(out, value);
    }
  }

  private static final byte[] NAN = {'N', 'a', 'N'};
  private static final byte[] POS_INF = {'+', 'I', 'n', 'f'};
  private static final byte[] NEG_INF = {'-', 'I', 'n', 'f'};

  /**
   * Re-shapes Java's shortest round-trip digits ("1.5E-5", "0.25", "1234567.5") into Go's %g form
   * ("1.5e-05", "0.25", "1.2345675e+06").
   */
  private void writeGoStyle(ByteSink out, double value) {
    StringBuilder s = decimal;
    s.setLength(0);
    s.append(value);
    int i = 0;
    if (s.charAt(0) == '-') {
      out.write('-');
      i = 1;
    }
    int e = s.indexOf("E", i);
    int end = e < 0 ? s.length() : e;
    int exp10 = e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10);
    // Collect the significant digits and where the decimal point falls (value = 0.d1d2.. * 10^dp).
    int n = 0;
    int dp = 0;
    boolean seenPoint = false;
    boolean leading = true;
    for (int k = i; k < end; k++) {
      char c = s.charAt(k);
      if (c == '.') {
        seenPoint = true;
        continue;
      }
      if (leading && c == '0') {
        if (seenPoint) {
          dp--;
        }
        continue;
      }
      leading = false;
      digits[n++] = (byte) c;
      if (!seenPoint) {
        dp++;
      }
    }
    while (n > 1 && digits[n - 1] == '0') {
      n--;
    }
    dp += exp10;
    int exp = dp - 1;
    if (exp < -4 || exp >= 6) {
      out.write(digits[0]);
      if (n > 1) {
        out.write('.');
        out.write(digits, 1, n - 1);
      }
      out.write('e');
      out.write(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        out.write('0');
      }
      writeLong(out, a);
    } else if (dp <= 0) {
      out.write('0');
      out.write('.');
      for (int z = dp; z < 0; z++) {
        out.write('0');
      }
      out.write(digits, 0, n);
    } else {
      out.write(digits, 0, Math.min(dp, n));
      for (int z = n; z < dp; z++) {
        out.write('0');
      }
      if (n > dp) {
        out.write('.');
        out.write(digits, dp, n - dp);
      }
    }
  }
}
