package io.gopherlens.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExportDropsTest {
  @Test
  void register_countsByReason_exposedAsGopherlensExportDropped() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    ExportDrops drops = new ExportDrops("loki", "queue_full", "rejected");
    drops.add("queue_full", 3);
    drops.add("queue_full", 2);
    drops.register(() -> provider);
    drops.register(() -> provider);

    MetricData metric = reader.collectAllMetrics().stream()
        .filter(m -> m.getName().equals("gopherlens.export.dropped")).findFirst().orElseThrow();
    Map<String, Long> byReason = metric.getLongSumData().getPoints().stream()
        .peek(p -> assertThat(p.getAttributes().get(ExportDrops.EXPORTER)).isEqualTo("loki"))
        .collect(Collectors.toMap(p -> p.getAttributes().get(ExportDrops.REASON), LongPointData::getValue));
    assertThat(byReason).isEqualTo(Map.of("queue_full", 5L, "rejected", 0L));
    assertThat(metric.getLongSumData().isMonotonic()).isTrue();
  }

  @Test
  void add_unknownReason_failsLoudly() {
    assertThatThrownBy(() -> new ExportDrops("x", "a").add("b", 1)).hasMessageContaining("unknown drop reason b");
  }
}
