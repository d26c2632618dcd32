package io.gopherlens.export.prometheus;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongGauge;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;

/**
 * Runs the scrape path (SDK collection, rendering, the response allocator) over throwaway metrics
 * once at server start, so the JIT has compiled it before Prometheus's first scrape. Measured on
 * this project's 2-vCPU VM: the first scrape of 100k series (collect and render) cost 450-600 ms of
 * CPU cold, almost all interpreter and JIT, and 125-175 ms after this warm-up, the same as later
 * scrapes. JIT code is shared by all instances of a class, so warming a private meter provider,
 * scraper and writer speeds up the real ones.
 *
 * <p>The data varies on purpose (every metric type, 0 to 5 attributes of every scalar type, two
 * histogram layouts, a resource): code compiled for one shape only is thrown away ("deoptimized")
 * the first time real data takes another branch.
 */
final class ScrapeWarmup {
  static final int SERIES = 1_000;
  static final int ROUNDS = 4;

  private static final AttributeKey<Long> PID = AttributeKey.longKey("process.pid");
  private static final AttributeKey<String> ADDRESS =
      AttributeKey.stringKey("network.peer.address");
  private static final AttributeKey<Long> PORT = AttributeKey.longKey("network.peer.port");
  private static final AttributeKey<String> NAME =
      AttributeKey.stringKey("process.executable.name");
  private static final AttributeKey<Boolean> FLAG = AttributeKey.booleanKey("gopherlens.flag");
  private static final AttributeKey<Double> RATIO = AttributeKey.doubleKey("gopherlens.ratio");

  private ScrapeWarmup() {}

  /** Scrapes {@link #ROUNDS} times in each format; returns the bytes rendered. */
  static long run(ByteBufAllocator alloc) {
    PrometheusMetricReader reader = new PrometheusMetricReader();
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .setResource(
                Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "warmup")))
            .registerMetricReader(reader, type -> SERIES + 1) // + the overflow series
            .build();
    try {
      record(provider.meterBuilder("io.gopherlens.warmup").setInstrumentationVersion("1").build());
      record(provider.get("io.gopherlens.warmup.unversioned"));
      long rendered = 0;
      PrometheusScraper[] scrapers = {
        new PrometheusScraper(reader, PrometheusTextWriter.create()),
        new PrometheusScraper(reader, PrometheusTextWriter.createWithoutScopeLabels())
      };
      for (int round = 0; round < ROUNDS; round++) {
        for (ExpositionFormat format : ExpositionFormat.values()) {
          ByteBuf body = scrapers[round % 2].scrape(alloc, format);
          rendered += body.readableBytes();
          body.release();
        }
      }
      return rendered;
    } finally {
      provider.close();
    }
  }

  private static void record(Meter meter) {
    LongCounter longCounter = meter.counterBuilder("warmup.long.counter").setUnit("By").build();
    DoubleCounter doubleCounter =
        meter.counterBuilder("warmup.double.counter").ofDoubles().setUnit("s").build();
    LongUpDownCounter upDown =
        meter
            .upDownCounterBuilder("warmup.updown")
            .setDescription("help\nwith \"escapes\"")
            .build();
    LongGauge longGauge = meter.gaugeBuilder("warmup.long.gauge").ofLongs().build();
    DoubleGauge doubleGauge = meter.gaugeBuilder("warmup.double.gauge").setUnit("1").build();
    DoubleHistogram seconds = meter.histogramBuilder("warmup.seconds").setUnit("s").build();
    LongHistogram bytes =
        meter
            .histogramBuilder("warmup.bytes")
            .ofLongs()
            .setUnit("By")
            .setExplicitBucketBoundariesAdvice(List.of(64L, 1024L, 65536L))
            .build();
    for (int i = 0; i < SERIES; i++) {
      Attributes attributes = attributes(i);
      longCounter.add(i, attributes);
      doubleCounter.add(i / 7.0, attributes);
      upDown.add(-i, attributes);
      longGauge.set(i * 1_000_003L, attributes);
      doubleGauge.set(i / 3.0, attributes);
      if (i % 8 == 0) {
        seconds.record(i / 1000.0, attributes);
        bytes.record(i * 37L, attributes);
      }
    }
  }

  private static Attributes attributes(int i) {
    AttributesBuilder b = Attributes.builder();
    switch (i % 6) {
      case 5:
        b.put(RATIO, i / 9.0);
      // fall through
      case 4:
        b.put(FLAG, i % 2 == 0);
      // fall through
      case 3:
        b.put(NAME, "svc-\"" + (i % 5) + "\"\u00e9");
      // fall through
      case 2:
        b.put(PORT, (long) i);
      // fall through
      case 1:
        b.put(ADDRESS, "10.0." + (i >> 8) + "." + (i & 255));
        b.put(PID, (long) i / 64);
        break;
      default:
        break;
    }
    return b.build();
  }
}
