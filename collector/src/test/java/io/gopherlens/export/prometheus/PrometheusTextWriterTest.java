package io.gopherlens.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrometheusTextWriterTest {
  static final AttributeKey<Long> PID = AttributeKey.longKey("process.pid");
  static final AttributeKey<String> PEER = AttributeKey.stringKey("network.peer.address");
  static final Resource RESOURCE =
      Resource.create(
          Attributes.of(
              AttributeKey.stringKey("service.name"), "gopherlens",
              AttributeKey.stringKey("host.name"), "node-1"));
  static final String TARGET_TEXT =
      "# HELP target_info Target metadata\n"
          + "# TYPE target_info gauge\n"
          + "target_info{host_name=\"node-1\",service_name=\"gopherlens\"} 1\n";
  static final String TARGET_OPENMETRICS =
      "# TYPE target info\n"
          + "# HELP target Target metadata\n"
          + "target_info{host_name=\"node-1\",service_name=\"gopherlens\"} 1\n";
  static final String SCOPE = "otel_scope_name=\"io.gopherlens\",otel_scope_version=\"0.1.0\"";

  private PrometheusMetricReader reader;
  private SdkMeterProvider provider;
  private Meter meter;
  private final PrometheusTextWriter writer = PrometheusTextWriter.create();

  @BeforeEach
  void setUp() {
    reader = new PrometheusMetricReader();
    provider =
        SdkMeterProvider.builder().setResource(RESOURCE).registerMetricReader(reader).build();
    meter = provider.meterBuilder("io.gopherlens").setInstrumentationVersion("0.1.0").build();
  }

  @AfterEach
  void tearDown() {
    provider.close();
  }

  @Test
  void write_counterWithBytesUnit_text() {
    meter
        .counterBuilder("gopherlens.tcp.bytes")
        .setUnit("By")
        .setDescription("Bytes sent on TCP flows")
        .build()
        .add(1536, Attributes.of(PID, 42L, PEER, "10.0.0.1"));

    assertThat(render(ExpositionFormat.PROMETHEUS_TEXT))
        .isEqualTo(
            TARGET_TEXT
                + "# HELP gopherlens_tcp_bytes_total Bytes sent on TCP flows\n"
                + "# TYPE gopherlens_tcp_bytes_total counter\n"
                + "gopherlens_tcp_bytes_total{network_peer_address=\"10.0.0.1\",process_pid=\"42\","
                + SCOPE
                + "} 1536\n");
  }

  @Test
  void write_counterWithBytesUnit_openMetrics() {
    meter
        .counterBuilder("gopherlens.tcp.bytes")
        .setUnit("By")
        .setDescription("Bytes sent on TCP flows")
        .build()
        .add(1536, Attributes.of(PID, 42L, PEER, "10.0.0.1"));

    assertThat(render(ExpositionFormat.OPENMETRICS_TEXT))
        .isEqualTo(
            TARGET_OPENMETRICS
                + "# TYPE gopherlens_tcp_bytes counter\n"
                + "# UNIT gopherlens_tcp_bytes bytes\n"
                + "# HELP gopherlens_tcp_bytes Bytes sent on TCP flows\n"
                + "gopherlens_tcp_bytes_total{network_peer_address=\"10.0.0.1\",process_pid=\"42\","
                + SCOPE
                + "} 1536\n"
                + "# EOF\n");
  }

  @Test
  void write_gaugesAndUpDownCounter_text() {
    meter
        .gaugeBuilder("go.memory.gc.goal")
        .ofLongs()
        .setUnit("By")
        .setDescription("Heap size target for the end of the GC cycle")
        .build()
        .set(8_388_608, Attributes.of(PID, 7L));
    meter
        .gaugeBuilder("gopherlens.go.map.load")
        .setUnit("1")
        .build()
        .set(0.8125, Attributes.of(PID, 7L));
    meter
        .upDownCounterBuilder("go.goroutine.count")
        .setUnit("{goroutine}")
        .setDescription("Count of live goroutines")
        .build()
        .add(12, Attributes.of(PID, 7L));

    assertThat(render(ExpositionFormat.PROMETHEUS_TEXT))
        .isEqualTo(
            TARGET_TEXT
                + "# HELP go_goroutine_count Count of live goroutines\n"
                + "# TYPE go_goroutine_count gauge\n"
                + "go_goroutine_count{process_pid=\"7\","
                + SCOPE
                + "} 12\n"
                + "# HELP go_memory_gc_goal_bytes Heap size target for the end of the GC cycle\n"
                + "# TYPE go_memory_gc_goal_bytes gauge\n"
                + "go_memory_gc_goal_bytes{process_pid=\"7\","
                + SCOPE
                + "} 8388608\n"
                + "# TYPE gopherlens_go_map_load gauge\n"
                + "gopherlens_go_map_load{process_pid=\"7\","
                + SCOPE
                + "} 0.8125\n");
  }

  @Test
  void write_histogramWithSecondsUnit_text() {
    recordPauses();

    assertThat(render(ExpositionFormat.PROMETHEUS_TEXT))
        .isEqualTo(
            TARGET_TEXT
                + "# HELP go_memory_gc_pause_duration_seconds Stop-the-world pause durations\n"
                + "# TYPE go_memory_gc_pause_duration_seconds histogram\n"
                + bucket("0.0001", 1)
                + bucket("0.001", 1)
                + bucket("0.01", 2)
                + bucket("1.0", 3)
                + bucket("+Inf", 3)
                + "go_memory_gc_pause_duration_seconds_sum{process_pid=\"7\","
                + SCOPE
                + "} 0.50201416015625\n"
                + "go_memory_gc_pause_duration_seconds_count{process_pid=\"7\","
                + SCOPE
                + "} 3\n");
  }

  @Test
  void write_histogramWithSecondsUnit_openMetrics() {
    recordPauses();

    assertThat(render(ExpositionFormat.OPENMETRICS_TEXT))
        .isEqualTo(
            TARGET_OPENMETRICS
                + "# TYPE go_memory_gc_pause_duration_seconds histogram\n"
                + "# UNIT go_memory_gc_pause_duration_seconds seconds\n"
                + "# HELP go_memory_gc_pause_duration_seconds Stop-the-world pause durations\n"
                + bucket("0.0001", 1)
                + bucket("0.001", 1)
                + bucket("0.01", 2)
                + bucket("1.0", 3)
                + bucket("+Inf", 3)
                + "go_memory_gc_pause_duration_seconds_sum{process_pid=\"7\","
                + SCOPE
                + "} 0.50201416015625\n"
                + "go_memory_gc_pause_duration_seconds_count{process_pid=\"7\","
                + SCOPE
                + "} 3\n"
                + "# EOF\n");
  }

  private void recordPauses() {
    var histogram =
        meter
            .histogramBuilder("go.memory.gc.pause.duration")
            .setUnit("s")
            .setDescription("Stop-the-world pause durations")
            .setExplicitBucketBoundariesAdvice(List.of(0.0001, 0.001, 0.01, 1.0))
            .build();
    Attributes pid = Attributes.of(PID, 7L);
    histogram.record(0x1p-14, pid); // 0.00006103515625: exact in binary, so the sum is too
    histogram.record(0x1p-9, pid);
    histogram.record(0.5, pid);
  }

  private static String bucket(String le, long count) {
    return "go_memory_gc_pause_duration_seconds_bucket{process_pid=\"7\","
        + SCOPE
        + ",le=\""
        + le
        + "\"} "
        + count
        + "\n";
  }

  @Test
  void write_sameNameFromTwoScopes_oneHeader() {
    PrometheusMetricReader own = new PrometheusMetricReader();
    SdkMeterProvider p =
        SdkMeterProvider.builder().setResource(Resource.empty()).registerMetricReader(own).build();
    p.get("scope.b").counterBuilder("requests").setDescription("Requests").build().add(2);
    p.get("scope.a").counterBuilder("requests").setDescription("Requests").build().add(1);

    assertThat(render(writer, own.collectAllMetrics(), ExpositionFormat.PROMETHEUS_TEXT))
        .isEqualTo(
            "# HELP requests_total Requests\n"
                + "# TYPE requests_total counter\n"
                + "requests_total{otel_scope_name=\"scope.a\"} 1\n"
                + "requests_total{otel_scope_name=\"scope.b\"} 2\n");
    p.close();
  }

  @Test
  void write_sameNameDifferentType_dropsTheLaterMetric() {
    InstrumentationScopeInfo scope = InstrumentationScopeInfo.create("s");
    MetricData counter =
        ImmutableMetricData.createLongSum(
            Resource.empty(),
            scope,
            "jobs",
            "",
            "",
            SumData.createLongSumData(true, AggregationTemporality.CUMULATIVE, List.of(point(3))));
    MetricData gauge =
        ImmutableMetricData.createLongGauge(
            Resource.empty(),
            scope,
            "jobs",
            "",
            "",
            GaugeData.createLongGaugeData(List.of(point(9))));
    MetricData gaugeNamedLikeCounter =
        ImmutableMetricData.createLongGauge(
            Resource.empty(),
            scope,
            "jobs.total",
            "",
            "",
            GaugeData.createLongGaugeData(List.of(point(5))));

    assertThat(
            render(
                List.of(counter, gauge, gaugeNamedLikeCounter), ExpositionFormat.PROMETHEUS_TEXT))
        .isEqualTo("# TYPE jobs_total counter\n" + "jobs_total{otel_scope_name=\"s\"} 3\n");
  }

  @Test
  void write_labelValues_escapeBackslashQuoteNewline() {
    meter
        .gaugeBuilder("g")
        .setDescription("help with \\ and \"quotes\"\nand a second line")
        .build()
        .set(1, Attributes.of(AttributeKey.stringKey("path"), "C:\\dir \"x\"\nnext"));

    String text = render(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(text)
        .contains("# HELP g help with \\\\ and \"quotes\"\\nand a second line\n")
        .contains("g{path=\"C:\\\\dir \\\"x\\\"\\nnext\",");
    assertThat(render(ExpositionFormat.OPENMETRICS_TEXT))
        .contains("# HELP g help with \\\\ and \\\"quotes\\\"\\nand a second line\n");
  }

  @Test
  void write_attributesThatSanitizeAlike_areJoinedInKeyOrder() {
    meter
        .gaugeBuilder("g")
        .ofLongs()
        .build()
        .set(
            1,
            Attributes.builder()
                .put("a_b", "second")
                .put("a.b", "first")
                .put("a0", "between")
                .put("0day", true)
                .put("ids", 1L, 2L)
                .build());

    assertThat(render(ExpositionFormat.PROMETHEUS_TEXT))
        .contains(
            "g{key_0day=\"true\",a_b=\"first;second\",a0=\"between\",ids=\"[1,2]\","
                + SCOPE
                + "} 1\n");
  }

  @Test
  void write_attributeNamedLe_droppedOnHistogramKeptOnGauge() {
    Attributes le = Attributes.of(AttributeKey.stringKey("le"), "x");
    meter.histogramBuilder("h").setExplicitBucketBoundariesAdvice(List.of()).build().record(1, le);
    meter.gaugeBuilder("g").ofLongs().build().set(1, le);

    String text = render(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(text).contains("h_bucket{" + SCOPE + ",le=\"+Inf\"} 1\n");
    assertThat(text).contains("g{le=\"x\"," + SCOPE + "} 1\n");
  }

  @Test
  void write_attributeNamedLikeScopeLabel_winsOverScope() {
    meter
        .gaugeBuilder("g")
        .ofLongs()
        .build()
        .set(1, Attributes.of(AttributeKey.stringKey("otel.scope.name"), "mine"));

    assertThat(render(ExpositionFormat.PROMETHEUS_TEXT))
        .contains("g{otel_scope_name=\"mine\",otel_scope_version=\"0.1.0\"} 1\n");
  }

  @Test
  void write_withoutScopeLabels_omitsThem() {
    meter.counterBuilder("c").build().add(1);

    Collection<MetricData> metrics = reader.collectAllMetrics();
    assertThat(
            render(
                PrometheusTextWriter.createWithoutScopeLabels(),
                metrics,
                ExpositionFormat.PROMETHEUS_TEXT))
        .isEqualTo(TARGET_TEXT + "# TYPE c_total counter\nc_total 1\n");
  }

  @Test
  void write_summary_quantilesSumCount() {
    MetricData summary =
        ImmutableMetricData.createDoubleSummary(
            Resource.empty(),
            InstrumentationScopeInfo.create("s"),
            "rpc.latency",
            "Latency",
            "ms",
            SummaryData.create(
                List.of(
                    SummaryPointData.create(
                        0,
                        1,
                        Attributes.empty(),
                        4,
                        10.5,
                        List.of(
                            ValueAtQuantile.create(0.5, 2),
                            ValueAtQuantile.create(0.99, 4.25),
                            ValueAtQuantile.create(1, 9))))));

    assertThat(
            render(
                PrometheusTextWriter.createWithoutScopeLabels(),
                List.of(summary),
                ExpositionFormat.OPENMETRICS_TEXT))
        .isEqualTo(
            "# TYPE rpc_latency_milliseconds summary\n"
                + "# UNIT rpc_latency_milliseconds milliseconds\n"
                + "# HELP rpc_latency_milliseconds Latency\n"
                + "rpc_latency_milliseconds{quantile=\"0.5\"} 2\n"
                + "rpc_latency_milliseconds{quantile=\"0.99\"} 4.25\n"
                + "rpc_latency_milliseconds{quantile=\"1.0\"} 9\n"
                + "rpc_latency_milliseconds_sum 10.5\n"
                + "rpc_latency_milliseconds_count 4\n"
                + "# EOF\n");
  }

  @Test
  void write_deltaAndExponentialHistogram_skipped() {
    InstrumentationScopeInfo scope = InstrumentationScopeInfo.create("s");
    MetricData delta =
        ImmutableMetricData.createLongSum(
            Resource.empty(),
            scope,
            "delta",
            "",
            "",
            SumData.createLongSumData(true, AggregationTemporality.DELTA, List.of(point(1))));
    MetricData exponential =
        ImmutableMetricData.createExponentialHistogram(
            Resource.empty(),
            scope,
            "exp",
            "",
            "",
            ExponentialHistogramData.create(AggregationTemporality.CUMULATIVE, List.of()));

    assertThat(render(List.of(delta, exponential), ExpositionFormat.OPENMETRICS_TEXT))
        .isEqualTo("# EOF\n");
  }

  @Test
  void write_nonFiniteValues_prometheusSpelling() {
    // Built by hand: the SDK itself drops NaN measurements.
    MetricData gauge =
        ImmutableMetricData.createDoubleGauge(
            Resource.empty(),
            InstrumentationScopeInfo.create("s"),
            "g",
            "",
            "",
            GaugeData.createDoubleGaugeData(
                List.of(
                    DoublePointData.create(0, 1, Attributes.of(PID, 1L), Double.NaN, List.of()),
                    DoublePointData.create(
                        0, 1, Attributes.of(PID, 2L), Double.NEGATIVE_INFINITY, List.of()),
                    DoublePointData.create(
                        0, 1, Attributes.of(PID, 3L), Double.POSITIVE_INFINITY, List.of()))));

    assertThat(render(List.of(gauge), ExpositionFormat.PROMETHEUS_TEXT))
        .isEqualTo(
            "# TYPE g gauge\n"
                + "g{process_pid=\"1\",otel_scope_name=\"s\"} NaN\n"
                + "g{process_pid=\"2\",otel_scope_name=\"s\"} -Inf\n"
                + "g{process_pid=\"3\",otel_scope_name=\"s\"} +Inf\n");
  }

  @Test
  void write_emptyInput_emptyTextAndBareEofForOpenMetrics() {
    assertThat(render(List.of(), ExpositionFormat.PROMETHEUS_TEXT)).isEmpty();
    assertThat(render(List.of(), ExpositionFormat.OPENMETRICS_TEXT)).isEqualTo("# EOF\n");
  }

  private static LongPointData point(long value) {
    return LongPointData.create(0, 1, Attributes.empty(), value);
  }

  private String render(ExpositionFormat format) {
    return render(writer, reader.collectAllMetrics(), format);
  }

  private String render(Collection<MetricData> metrics, ExpositionFormat format) {
    return render(writer, metrics, format);
  }

  static String render(
      PrometheusTextWriter writer, Collection<MetricData> metrics, ExpositionFormat format) {
    ByteBuf out = Unpooled.buffer();
    try {
      writer.write(metrics, format, out);
      return out.toString(StandardCharsets.UTF_8);
    } finally {
      out.release();
    }
  }
}
