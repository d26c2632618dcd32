package io.gopherlens.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

class ScrapeWarmupTest {

  @Test
  void run_scrapesEveryRoundInBothFormats() {
    long rendered = ScrapeWarmup.run(ByteBufAllocator.DEFAULT);

    // Each scrape of the throwaway provider is well over 100 kB; an empty render would be ~0.
    assertThat(rendered).isGreaterThan(2L * ScrapeWarmup.ROUNDS * 100_000);
  }
}
