package io.gopherlens.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerProcessResourceExporterTest {
  static final AttributeKey<Long> PID = AttributeKey.longKey("process.pid");
  static final AttributeKey<String> EXE = AttributeKey.stringKey("process.executable.name");
  static final Resource AGENT = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "gopherlens"));

  @Test
  void export_pointsOfEachProcessGetTheirOwnResourceAndKeepTheirAttributes() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider meters = SdkMeterProvider.builder().setResource(AGENT).registerMetricReader(reader).build()) {
      var counter = meters.get("t").counterBuilder("go.memory.gc.cycles").build();
      counter.add(3, Attributes.of(PID, 10L, EXE, "api"));
      counter.add(5, Attributes.of(PID, 20L, EXE, "worker"));
      counter.add(1, Attributes.of(AttributeKey.stringKey("reason"), "agent-own"));
      InMemoryMetricExporter sink = InMemoryMetricExporter.create();
      new PerProcessResourceExporter(sink, ProcessResources.NONE).export(reader.collectAllMetrics());

      List<MetricData> out = sink.getFinishedMetricItems();
      assertThat(out).hasSize(3);
      for (MetricData m : out) {
        var point = m.getLongSumData().getPoints().iterator().next();
        Long pid = point.getAttributes().get(PID);
        assertThat(m.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("gopherlens");
        assertThat(m.getResource().getAttribute(PID)).isEqualTo(pid);
        assertThat(m.getResource().getAttribute(EXE)).isEqualTo(point.getAttributes().get(EXE));
        assertThat(m.getName()).isEqualTo("go.memory.gc.cycles");
        assertThat(m.getLongSumData().isMonotonic()).isTrue();
        if (pid != null) assertThat(point.getValue()).isEqualTo(pid == 10L ? 3 : 5);
      }
      assertThat(out).filteredOn(m -> m.getResource().getAttribute(PID) == null).hasSize(1);
    }
  }
}
