package io.gopherlens.export;

import java.time.Duration;

/** The argument checks the push exporters' builders share: they throw naming the setter's value. */
public final class BuilderArgs {
  private BuilderArgs() {}

  public static Duration positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }

  public static int atLeastOne(int n, String what) {
    if (n < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + n);
    }
    return n;
  }
}
