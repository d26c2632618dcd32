package io.gopherlens.export;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter, capped: attempt 0 waits about {@code initial}, each next one
 * twice as long up to {@code max}. The jitter (50-100% of the step) keeps a fleet of agents that
 * lost the same backend from retrying in lockstep.
 */
public final class Backoff {
  private final long initialNanos;
  private final long maxNanos;

  public Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, got initial " + initial + ", max " + max);
    }
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
  }

  /** The wait before retry number {@code attempt} (0-based). */
  public long delayNanos(int attempt) {
    long step = attempt >= 62 ? maxNanos : Math.min(maxNanos, initialNanos << Math.min(attempt, 40));
    if (step < 0) {
      step = maxNanos;
    }
    return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
  }
}
