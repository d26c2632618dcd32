package io.gopherlens.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ByteProcessor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * 100,000 series through a real SdkMeterProvider: 40k counter points, 40k up-down counter points
 * and 1,000 histogram points of 20 lines each, labelled like TCP flows. Asserts completeness, not
 * speed; it prints timing and allocation so a run shows where a scrape stands against the budget
 * (under 1 s and 64 MB of heap for 100k series).
 */
class PrometheusScaleTest {
  static final int FLOWS = 40_000;
  static final int HISTOGRAM_POINTS = 1_000;
  // 17 boundaries: 18 buckets + _sum + _count = 20 lines per point.
  static final List<Double> RTT_BOUNDARIES =
      List.of(
          0.00001, 0.00002, 0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05,
          0.1, 0.2, 0.5, 1.0, 2.0);
  static final int SERIES = FLOWS * 2 + HISTOGRAM_POINTS * (RTT_BOUNDARIES.size() + 3);

  static final AttributeKey<Long> PID = AttributeKey.longKey("process.pid");
  static final AttributeKey<String> ADDRESS = AttributeKey.stringKey("network.peer.address");
  static final AttributeKey<Long> PORT = AttributeKey.longKey("network.peer.port");
  static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("network.transport");

  private PrometheusMetricReader reader;
  private SdkMeterProvider provider;

  @BeforeEach
  void setUp() {
    reader = new PrometheusMetricReader();
    provider =
        SdkMeterProvider.builder()
            .setResource(
                Resource.create(
                    Attributes.of(AttributeKey.stringKey("service.name"), "gopherlens")))
            // The SDK's default limit is 2,000 series per instrument.
            .registerMetricReader(reader, type -> 2 * FLOWS)
            .build();
    Meter meter = provider.meterBuilder("io.gopherlens").setInstrumentationVersion("0.1.0").build();
    LongCounter bytes =
        meter
            .counterBuilder("gopherlens.tcp.bytes")
            .setUnit("By")
            .setDescription("Bytes sent")
            .build();
    LongUpDownCounter inFlight =
        meter
            .upDownCounterBuilder("gopherlens.tcp.in_flight")
            .setUnit("By")
            .setDescription("Unacknowledged bytes")
            .build();
    DoubleHistogram rtt =
        meter
            .histogramBuilder("gopherlens.tcp.rtt")
            .setUnit("s")
            .setDescription("Smoothed round-trip time")
            .setExplicitBucketBoundariesAdvice(RTT_BOUNDARIES)
            .build();
    for (int i = 0; i < FLOWS; i++) {
      Attributes flow = flow(i);
      bytes.add(1_000L + i, flow);
      inFlight.add(i % 4096, flow);
      if (i < HISTOGRAM_POINTS) {
        rtt.record(0.0001 * (i % 50), flow);
        rtt.record(0.003, flow);
      }
    }
  }

  private static Attributes flow(int i) {
    return Attributes.of(
        PID, 1_000L + i / 100,
        ADDRESS, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255),
        PORT, 1_024L + i % 60_000,
        TRANSPORT, "tcp");
  }

  @AfterEach
  void tearDown() {
    provider.close();
  }

  @Test
  void scrape_100kSeries_rendersEverySeriesInBothFormats() {
    PrometheusScraper scraper = new PrometheusScraper(reader, PrometheusTextWriter.create());
    for (ExpositionFormat format : ExpositionFormat.values()) {
      ByteBuf body = scraper.scrape(ByteBufAllocator.DEFAULT, format);
      try {
        assertThat(sampleLines(body)).as(format.name()).isEqualTo(SERIES + 1); // + target_info
      } finally {
        body.release();
      }
    }
  }

  @Test
  void scrape_100kSeries_reportsTimeAndAllocation() {
    PrometheusScraper scraper = new PrometheusScraper(reader, PrometheusTextWriter.create());
    PrometheusTextWriter writer = PrometheusTextWriter.create();
    List<String> report = new ArrayList<>();
    for (int round = 0; round < 8; round++) {
      long alloc0 = allocatedBytes();
      long t0 = System.nanoTime();
      ByteBuf body = scraper.scrape(ByteBufAllocator.DEFAULT, ExpositionFormat.PROMETHEUS_TEXT);
      long t1 = System.nanoTime();
      long alloc1 = allocatedBytes();
      int bytes = body.readableBytes();
      body.release();

      // The same again, split into SDK collection and rendering.
      long alloc2 = allocatedBytes();
      long t2 = System.nanoTime();
      Collection<MetricData> metrics = reader.collectAllMetrics();
      long t3 = System.nanoTime();
      long alloc3 = allocatedBytes();
      ByteBuf out = ByteBufAllocator.DEFAULT.directBuffer(bytes + 1024);
      writer.write(metrics, ExpositionFormat.PROMETHEUS_TEXT, out);
      long t4 = System.nanoTime();
      long alloc4 = allocatedBytes();
      out.release();

      report.add(
          String.format(
              "round %d: scrape %.1f ms, %.1f MB heap allocated, %.1f MB body | collect %.1f ms"
                  + " %.1f MB, render %.1f ms %.2f MB",
              round,
              (t1 - t0) / 1e6,
              (alloc1 - alloc0) / 1e6,
              bytes / 1e6,
              (t3 - t2) / 1e6,
              (alloc3 - alloc2) / 1e6,
              (t4 - t3) / 1e6,
              (alloc4 - alloc3) / 1e6));
    }
    report.forEach(System.out::println);
    assertThat(report).hasSize(8);
  }

  private static int sampleLines(ByteBuf body) {
    int[] lines = new int[2]; // [samples, total]
    boolean[] lineStart = {true};
    body.forEachByte(
        (ByteProcessor)
            b -> {
              if (lineStart[0]) {
                lines[0] += b == '#' ? 0 : 1;
              }
              lineStart[0] = b == '\n';
              return true;
            });
    return lines[0];
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
