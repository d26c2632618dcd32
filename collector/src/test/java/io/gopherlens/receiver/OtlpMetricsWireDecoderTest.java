package io.gopherlens.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The wire decoder's fast path against the generated parser plus {@link OtlpMetricsConverter}:
 * on random requests of its shape and on mutations of them it must give the same result, give
 * up (null), or fail exactly where the generated parser fails.
 */
class OtlpMetricsWireDecoderTest {
  private final Random random = new Random(42);

  @Test
  void commonRequests_takeTheFastPath_andEqualTheConverter() throws Exception {
    int fast = 0;
    for (int i = 0; i < 3_000; i++) {
      ExportMetricsServiceRequest request = randomRequest();
      byte[] bytes = request.toByteArray();
      Converted<MetricData> expected = OtlpMetricsConverter.convert(ExportMetricsServiceRequest.parseFrom(bytes));
      Converted<MetricData> actual = OtlpMetricsWireDecoder.decode(bytes, 0, bytes.length);
      if (actual != null) {
        fast++;
        assertThat(actual).as("request %s", request).isEqualTo(expected);
      }
    }
    assertThat(fast).as("requests of the common shape decoded on the fast path").isGreaterThan(2_500);
  }

  @Test
  void otherShapes_fallBackToTheGeneratedParser() throws Exception {
    NumberDataPoint withExemplar = NumberDataPoint.newBuilder().setAsDouble(1).addExemplars(Exemplar.newBuilder().setAsDouble(1)).build();
    NumberDataPoint withArray =
        NumberDataPoint.newBuilder()
            .setAsInt(1)
            .addAttributes(KeyValue.newBuilder().setKey("a").setValue(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(str("x")))))
            .build();
    for (var request :
        new ExportMetricsServiceRequest[] {
          OtlpRequests.histogramWithOneBadPoint(),
          OtlpRequests.wrap(Metric.newBuilder().setName("e").setGauge(Gauge.newBuilder().addDataPoints(withExemplar)).build()),
          OtlpRequests.wrap(Metric.newBuilder().setName("a").setGauge(Gauge.newBuilder().addDataPoints(withArray)).build())
        }) {
      byte[] bytes = request.toByteArray();
      assertThat(OtlpMetricsWireDecoder.decode(bytes, 0, bytes.length)).isNull();
    }
  }

  @Test
  void mutatedBytes_failWhereTheGeneratedParserFails() throws Exception {
    int compared = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = mutate(randomRequest().toByteArray());
      Converted<MetricData> expected;
      try {
        expected = OtlpMetricsConverter.convert(ExportMetricsServiceRequest.parseFrom(bytes));
      } catch (InvalidProtocolBufferException e) {
        expected = null;
      }
      Converted<MetricData> actual;
      try {
        actual = OtlpMetricsWireDecoder.decode(bytes, 0, bytes.length);
      } catch (InvalidProtocolBufferException e) {
        if (expected != null) fail("fast path refused bytes the generated parser took: " + e);
        continue;
      }
      if (actual != null) {
        if (expected == null) fail("fast path took bytes the generated parser refused");
        assertThat(actual).isEqualTo(expected);
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(1_000);
  }

  private ExportMetricsServiceRequest randomRequest() {
    ExportMetricsServiceRequest.Builder r = ExportMetricsServiceRequest.newBuilder();
    for (int rm = 0; rm < 1 + random.nextInt(2); rm++) {
      ResourceMetrics.Builder res = ResourceMetrics.newBuilder().setResource(Resource.newBuilder().addAttributes(kv("service.name", "s" + rm)));
      if (random.nextBoolean()) res.setSchemaUrl("https://opentelemetry.io/schemas/1.26.0");
      for (int sm = 0; sm < 1 + random.nextInt(2); sm++) {
        ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
        if (random.nextInt(4) > 0) {
          InstrumentationScope.Builder s = InstrumentationScope.newBuilder().setName("lib" + sm);
          if (random.nextBoolean()) s.setVersion("1." + sm);
          if (random.nextInt(4) == 0) s.addAttributes(kv("scope.attr", "x"));
          scope.setScope(s);
        }
        for (int m = 0; m < 1 + random.nextInt(4); m++) scope.addMetrics(randomMetric());
        res.addScopeMetrics(scope);
      }
      r.addResourceMetrics(res);
    }
    return r.build();
  }

  private Metric randomMetric() {
    Metric.Builder m = Metric.newBuilder().setName(random.nextInt(20) == 0 ? "" : "m" + random.nextInt(5));
    if (random.nextBoolean()) m.setUnit("s");
    if (random.nextBoolean()) m.setDescription("d");
    int kind = random.nextInt(10);
    if (kind == 0) return m.build(); // no data
    boolean ints = random.nextBoolean();
    java.util.List<NumberDataPoint> points = new java.util.ArrayList<>();
    for (int p = 0; p < random.nextInt(6); p++) {
      NumberDataPoint.Builder b = NumberDataPoint.newBuilder().setTimeUnixNano(random.nextLong()).setStartTimeUnixNano(random.nextInt(3) == 0 ? 0 : 5);
      int v = random.nextInt(12);
      if (v == 0) {
        // no value
      } else if ((v == 1) != ints) {
        b.setAsInt(random.nextLong());
      } else {
        b.setAsDouble(random.nextDouble() * 100);
      }
      for (int a = 0; a < random.nextInt(4); a++) {
        KeyValue.Builder attr = KeyValue.newBuilder().setKey("k" + random.nextInt(3));
        switch (random.nextInt(5)) {
          case 0 -> attr.setValue(str("v" + random.nextInt(9)));
          case 1 -> attr.setValue(AnyValue.newBuilder().setBoolValue(random.nextBoolean()));
          case 2 -> attr.setValue(AnyValue.newBuilder().setIntValue(random.nextInt()));
          case 3 -> attr.setValue(AnyValue.newBuilder().setDoubleValue(random.nextDouble()));
          default -> {} // unset value
        }
        b.addAttributes(attr);
      }
      points.add(b.build());
    }
    if (kind < 5) {
      m.setGauge(Gauge.newBuilder().addAllDataPoints(points));
    } else {
      m.setSum(Sum.newBuilder().setAggregationTemporalityValue(random.nextInt(4)).setIsMonotonic(random.nextBoolean()).addAllDataPoints(points));
    }
    return m.build();
  }

  private byte[] mutate(byte[] in) {
    byte[] b = in.clone();
    for (int i = 0; i < 1 + random.nextInt(3) && b.length > 0; i++) {
      int at = random.nextInt(b.length);
      if (random.nextBoolean()) b[at] = (byte) random.nextInt(256);
      else b[at] ^= (byte) (1 << random.nextInt(8));
    }
    return random.nextInt(5) == 0 ? java.util.Arrays.copyOf(b, random.nextInt(b.length + 1)) : b;
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(str(v)).build();
  }
}
