package io.gopherlens.log;

import java.util.function.LongSupplier;

/**
 * A token bucket for one kind of log record: at most {@code perSecond} on average and {@code
 * burst} at once. What it refuses is counted, so the caller can say how much it held back.
 */
public final class RateLimit {
  private final double perNano;
  private final double burst;
  private final LongSupplier clock;
  private double tokens;
  private long last;
  private long suppressed;

  public RateLimit(double perSecond, int burst) {
    this(perSecond, burst, System::nanoTime);
  }

  RateLimit(double perSecond, int burst, LongSupplier clock) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.last = clock.getAsLong();
  }

  /** True if one more record may go out now. */
  public synchronized boolean tryAcquire() {
    long now = clock.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    suppressed++;
    return false;
  }

  /** Records refused since this limiter was created. */
  public synchronized long suppressed() {
    return suppressed;
  }
}
