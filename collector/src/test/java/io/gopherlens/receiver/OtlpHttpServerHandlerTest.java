package io.gopherlens.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** The connection pipeline in an EmbeddedChannel, with ingest workers that are always full. */
class OtlpHttpServerHandlerTest {
  private final RecordingSink sink = new RecordingSink(false);
  private final ReceiverSettings settings = ReceiverSettings.defaults().withListeners(new InetSocketAddress("127.0.0.1", 0), null);
  private final ReceiverStats stats = new ReceiverStats();
  private final InflightBudget budget = new InflightBudget(settings.maxInflightBytes());

  @Test
  void fullIngestQueue_gets429WithRetryAfter_releasesTheBudget_andKeepsTheConnection() {
    IngestWorkers full =
        new IngestWorkers(
            task -> {
              throw new RejectedExecutionException("queue full");
            });
    EmbeddedChannel channel =
        new EmbeddedChannel(new OtlpHttpServerInitializer(settings, null, new BearerAuth(null), budget, stats, new OtlpIngest(sink, stats), full));

    channel.writeInbound(Unpooled.wrappedBuffer(RawHttp.post("/v1/metrics", "application/x-protobuf", "", OtlpRequests.gauge("g", 3).toByteArray())));

    String response = outbound(channel);
    assertThat(response).startsWith("HTTP/1.1 429 Too Many Requests").containsIgnoringCase("retry-after: 1");
    assertThat(stats.refused(Signal.METRICS, RefusalReason.OVERLOADED)).isEqualTo(1);
    assertThat(budget.inUseBytes()).isZero();
    assertThat(sink.metrics()).isEmpty();
    assertThat(channel.isActive()).as("keep-alive connection stays open").isTrue();
    assertThat(channel.config().isAutoRead()).as("reading resumes after the answer").isTrue();
    channel.finishAndReleaseAll();
  }

  @Test
  void acceptedRequest_isAnsweredAfterIngest_andReadingResumes() {
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new OtlpHttpServerInitializer(settings, null, new BearerAuth(null), budget, stats, new OtlpIngest(sink, stats), new IngestWorkers(Runnable::run)));

    channel.writeInbound(Unpooled.wrappedBuffer(RawHttp.post("/v1/metrics", "application/x-protobuf", "", OtlpRequests.gauge("g", 3).toByteArray())));

    assertThat(outbound(channel)).startsWith("HTTP/1.1 200 OK");
    assertThat(sink.metric("g").getData().getPoints()).hasSize(3);
    assertThat(channel.config().isAutoRead()).isTrue();
    channel.finishAndReleaseAll();
  }

  private static String outbound(EmbeddedChannel channel) {
    StringBuilder out = new StringBuilder();
    for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
      ByteBuf b = (ByteBuf) o;
      out.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return out.toString();
  }
}
