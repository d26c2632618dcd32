package io.gopherlens.goruntime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GcSummariesTest {
  @Test
  void drain_afterActivity_reportsWindowThenStartsAnew() {
    GcSummaries s = new GcSummaries();
    s.cycle(7);
    s.pause(7, 30_000);
    s.pause(7, 50_000);
    s.cycle(8);

    assertThat(s.drain())
        .containsExactlyInAnyOrder(
            new GcSummaries.Summary(7, 1, 2, 80_000, 50_000), new GcSummaries.Summary(8, 1, 0, 0, 0));
    assertThat(s.drain()).allSatisfy(x -> assertThat(x.cycles()).isZero());

    s.forget(7);
    assertThat(s.drain()).extracting(GcSummaries.Summary::pid).containsExactly(8);
  }
}
