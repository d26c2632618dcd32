package io.gopherlens.agent;

import java.time.Duration;

/** Parses the durations options take: 500ms, 10s, 1m. */
public final class Durations {
  private Durations() {}

  public static Duration parse(String value, String option) {
    Duration d = null;
    try {
      if (value.endsWith("ms")) d = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      else if (value.endsWith("s")) d = Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
      else if (value.endsWith("m")) d = Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
    } catch (NumberFormatException ignored) {
      // reported below
    }
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(option + " must be a positive duration such as 500ms, 10s or 1m, not '" + value + "'");
    }
    return d;
  }
}
