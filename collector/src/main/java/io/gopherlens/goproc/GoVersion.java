package io.gopherlens.goproc;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Go release as recorded in a binary, e.g. {@code go1.24.4 X:noswissmap} or {@code go1.21rc2}.
 * Offsets of runtime structures are keyed by {@code major.minor}.
 */
public record GoVersion(int major, int minor, int patch, String raw) implements Comparable<GoVersion> {
  // "devel go1.25-abcdef ..." and "go1.24.4 X:exp" both carry goM.N[.P] somewhere.
  private static final Pattern RELEASE = Pattern.compile("go(\\d{1,4})\\.(\\d{1,4})(?:\\.(\\d{1,6}))?");

  public static Optional<GoVersion> parse(String raw) {
    Matcher m = RELEASE.matcher(raw);
    if (!m.find()) {
      return Optional.empty();
    }
    int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    return Optional.of(new GoVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch, raw));
  }

  public boolean atLeast(int wantMajor, int wantMinor) {
    return major > wantMajor || (major == wantMajor && minor >= wantMinor);
  }

  @Override
  public int compareTo(GoVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return raw;
  }
}
