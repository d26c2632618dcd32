package io.gopherlens.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteSinkTest {

  @Test
  void writeUtf8_nonAscii_matchesJdkEncoder() {
    String s = "ascii é ☃ 😀 end";
    ByteSink sink = new ByteSink(1);

    sink.writeUtf8(s);

    assertThat(sink.toByteArray()).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void writeUtf8_unpairedSurrogate_questionMark() {
    ByteSink sink = new ByteSink(4);

    sink.writeUtf8("a\uD800b");

    assertThat(new String(sink.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("a?b");
  }

  @Test
  void writeLabelValue_escapesBackslashQuoteNewlineOnly() {
    ByteSink sink = new ByteSink(4);

    sink.writeLabelValue("a\\b\"c\nd\te");

    assertThat(new String(sink.toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo("a\\\\b\\\"c\\nd\te");
  }

  @Test
  void writeHelp_quoteEscapedOnlyForOpenMetrics() {
    ByteSink text = new ByteSink(4);
    ByteSink openMetrics = new ByteSink(4);

    text.writeHelp("say \"hi\"\\", false);
    openMetrics.writeHelp("say \"hi\"\\", true);

    assertThat(new String(text.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("say \"hi\"\\\\");
    assertThat(new String(openMetrics.toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo("say \\\"hi\\\"\\\\");
  }

  @Test
  void drainTo_movesBytesAndEmpties() {
    ByteSink sink = new ByteSink(2);
    sink.write("hello".getBytes(StandardCharsets.US_ASCII));
    ByteBuf out = Unpooled.buffer();

    sink.drainTo(out);

    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
    assertThat(sink.size()).isZero();
    out.release();
  }
}
