package io.gopherlens.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpositionFormatTest {
  // What Prometheus 2.53 sends with its default scrape_protocols.
  static final String PROMETHEUS_ACCEPT =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
          + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  @Test
  void negotiate_prometheusDefaultAccept_picksOpenMetrics() {
    assertThat(ExpositionFormat.negotiate(PROMETHEUS_ACCEPT))
        .isEqualTo(ExpositionFormat.OPENMETRICS_TEXT);
  }

  @Test
  void negotiate_anyOpenMetricsMention_picksOpenMetrics() {
    assertThat(ExpositionFormat.negotiate("application/openmetrics-text; version=0.0.1"))
        .isEqualTo(ExpositionFormat.OPENMETRICS_TEXT);
    assertThat(ExpositionFormat.negotiate("text/plain;q=0.9, Application/OpenMetrics-Text"))
        .isEqualTo(ExpositionFormat.OPENMETRICS_TEXT);
  }

  @Test
  void negotiate_noOrOtherAccept_picksText004() {
    assertThat(ExpositionFormat.negotiate(null)).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(ExpositionFormat.negotiate("")).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(ExpositionFormat.negotiate("*/*")).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(ExpositionFormat.negotiate("text/plain;version=0.0.4"))
        .isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(
            ExpositionFormat.negotiate(
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"))
        .isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
  }

  @Test
  void contentType_matchesWhatPrometheusExpects() {
    assertThat(ExpositionFormat.PROMETHEUS_TEXT.contentType())
        .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(ExpositionFormat.OPENMETRICS_TEXT.contentType())
        .isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
  }
}
