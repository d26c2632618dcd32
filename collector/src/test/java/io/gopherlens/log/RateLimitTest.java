package io.gopherlens.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  private final AtomicLong now = new AtomicLong();

  @Test
  void tryAcquire_burstThenRate_refusesAndCountsTheRest() {
    RateLimit limit = new RateLimit(10, 5, now::get);
    int allowed = 0;
    for (int i = 0; i < 100; i++) if (limit.tryAcquire()) allowed++;
    assertThat(allowed).isEqualTo(5);
    assertThat(limit.suppressed()).isEqualTo(95);

    now.addAndGet(1_000_000_000L); // one second refills 10, capped at the burst of 5
    allowed = 0;
    for (int i = 0; i < 100; i++) if (limit.tryAcquire()) allowed++;
    assertThat(allowed).isEqualTo(5);

    now.addAndGet(200_000_000L); // 0.2 s: two more
    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.tryAcquire()).isTrue();
    assertThat(limit.tryAcquire()).isFalse();
  }
}
