package io.gopherlens.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumberWriterTest {
  private final NumberWriter numbers = new NumberWriter();

  // Expected strings are what Go's strconv.FormatFloat(v, 'g', -1, 64) prints, except that
  // integral values are written out in full.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0, 0",
    "-0.0, 0",
    "42, 42",
    "-7, -7",
    "1e6, 1000000",
    "1e18, 1000000000000000000",
    "1e19, 1e+19",
    "-1e300, -1e+300",
    "0.5, 0.5",
    "0.1, 0.1",
    "0.0001, 0.0001",
    "0.00001, 1e-05",
    "1.5e-5, 1.5e-05",
    "0.000123, 0.000123",
    "2.5, 2.5",
    "-2.5, -2.5",
    "123456.5, 123456.5",
    "1234567.5, 1.2345675e+06",
    "0.3333333333333333, 0.3333333333333333",
    "1.7976931348623157e308, 1.7976931348623157e+308",
    "0.50201416015625, 0.50201416015625",
  })
  void writeDouble_formatsLikePrometheus(double value, String want) {
    assertThat(render(b -> numbers.writeDouble(b, value, false))).isEqualTo(want);
  }

  @Test
  void writeDouble_specialValues() {
    assertThat(render(b -> numbers.writeDouble(b, Double.NaN, false))).isEqualTo("NaN");
    assertThat(render(b -> numbers.writeDouble(b, Double.POSITIVE_INFINITY, false)))
        .isEqualTo("+Inf");
    assertThat(render(b -> numbers.writeDouble(b, Double.NEGATIVE_INFINITY, true)))
        .isEqualTo("-Inf");
  }

  @Test
  void writeDouble_canonicalAddsFractionToIntegers() {
    assertThat(render(b -> numbers.writeDouble(b, 1, true))).isEqualTo("1.0");
    assertThat(render(b -> numbers.writeDouble(b, 0.25, true))).isEqualTo("0.25");
    assertThat(render(b -> numbers.writeDouble(b, 1e-5, true))).isEqualTo("1e-05");
    assertThat(render(b -> numbers.writeDouble(b, Double.POSITIVE_INFINITY, true)))
        .isEqualTo("+Inf");
  }

  @Test
  void writeDouble_roundTripsEveryShortestForm() {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 20_000; i++) {
      double v = Double.longBitsToDouble(random.nextLong());
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        continue;
      }
      String s = render(b -> numbers.writeDouble(b, v, false));
      assertThat(Double.parseDouble(s)).as(s).isEqualTo(v == 0 ? 0.0 : v);
    }
  }

  @Test
  void writeLong_extremes() {
    assertThat(render(b -> numbers.writeLong(b, Long.MIN_VALUE))).isEqualTo("-9223372036854775808");
    assertThat(render(b -> numbers.writeLong(b, Long.MAX_VALUE))).isEqualTo("9223372036854775807");
    assertThat(render(b -> numbers.writeLong(b, 0))).isEqualTo("0");
    assertThat(render(b -> numbers.writeLong(b, -1))).isEqualTo("-1");
  }

  private static String render(java.util.function.Consumer<ByteSink> write) {
    ByteSink sink = new ByteSink(8);
    write.accept(sink);
    return new String(sink.toByteArray(), StandardCharsets.US_ASCII);
  }
}
