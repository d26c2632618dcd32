package io.gopherlens.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.gopherlens.export.prometheus.LeakCaptureExtension;
import io.gopherlens.pipeline.TelemetrySink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mutated OTLP requests (protobuf, JSON, gzip, HTTP framing): the bulk through the whole
 * connection pipeline in an EmbeddedChannel, a share over real sockets. No input may crash the
 * receiver, leak a buffer (PARANOID leak detection), keep budget reserved, or get anything but
 * a well-formed HTTP response with an OTLP status; the receiver still serves afterwards.
 */
class OtlpHttpFuzzTest {
  // About 30 s of one core on an idle 2-core machine; mvn -DargLine=-Dfuzz.embedded=N runs longer campaigns.
  private static final int EMBEDDED_CASES = Integer.getInteger("fuzz.embedded", 100_000);
  private static final int SOCKET_CASES = Integer.getInteger("fuzz.socket", 2_000);
  private static final Set<Integer> STATUSES = Set.of(200, 400, 401, 404, 405, 408, 413, 415, 429, 431);
  @RegisterExtension static final LeakCaptureExtension leaks = new LeakCaptureExtension();

  private final CountingSink sink = new CountingSink();
  private final Random random = new Random(20261201L);
  private final List<Seed> seeds = seeds();
  private final Map<Integer, Integer> statuses = new TreeMap<>();

  /** A valid request to mutate, with the path and content type it goes to. */
  private record Seed(String path, String contentType, byte[] body) {}

  private static final class CountingSink implements TelemetrySink {
    final AtomicLong items = new AtomicLong();

    @Override
    public void acceptMetrics(Collection<MetricData> metrics) {
      metrics.forEach(m -> items.addAndGet(m.getData().getPoints().size()));
    }

    @Override
    public void acceptLogs(Collection<LogRecordData> logs) {
      items.addAndGet(logs.size());
    }

    @Override
    public boolean acceptTraces(byte[] request) {
      items.incrementAndGet();
      return true;
    }
  }

  @Test
  void mutatedRequests_neverCrashLeakOrGetMalformedResponses() throws Exception {
    ReceiverSettings settings =
        ReceiverSettings.defaults()
            .withListeners(new InetSocketAddress("127.0.0.1", 0), null)
            .withLimits(64 << 10, 256 << 10, 1 << 20)
            .withTimeouts(Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofSeconds(5));
    OtlpReceiver receiver = new OtlpReceiver(settings, sink);
    ReceiverStats stats = new ReceiverStats();
    InflightBudget budget = new InflightBudget(settings.maxInflightBytes());
    OtlpHttpServerInitializer pipeline =
        new OtlpHttpServerInitializer(settings, null, new BearerAuth(null), budget, stats, new OtlpIngest(sink, stats), new IngestWorkers(Runnable::run));

    for (int i = 0; i < EMBEDDED_CASES; i++) {
      byte[] input = mutant();
      EmbeddedChannel channel = new EmbeddedChannel(pipeline);
      channel.writeInbound(Unpooled.wrappedBuffer(input));
      channel.finish();
      byte[] out = drain(channel);
      if (out.length > 0) {
        checkResponses(out, input);
      }
      if (budget.inUseBytes() != 0) fail("budget still reserved after input " + preview(input));
    }

    receiver.start();
    try {
      InetSocketAddress http = receiver.httpAddress();
      for (int i = 0; i < SOCKET_CASES; i++) {
        byte[] input = mutant();
        try (RawHttp c = new RawHttp(http, 3_000)) {
          c.send(input);
          c.socket.shutdownOutput(); // no more bytes: the server answers or closes
          byte[] out = c.socket.getInputStream().readAllBytes();
          if (out.length > 0) checkResponses(out, input);
        } catch (java.net.SocketException e) {
          // The server may reset a connection whose framing it gave up on; it must still serve.
        }
      }
      try (RawHttp c = new RawHttp(http, 5_000)) {
        byte[] valid = RawHttp.post("/v1/metrics", "application/x-protobuf", "", OtlpRequests.gauge("still.healthy", 3).toByteArray());
        assertThat(c.send(valid).read().status()).as("a valid request after the fuzzing").isEqualTo(200);
      }
      Thread.sleep(200);
      assertThat(receiver.budget().inUseBytes()).isZero();
    } finally {
      receiver.close();
    }
    assertThat(leaks.drainAfterGc(10)).as("Netty leak reports").isEmpty();
    assertThat(statuses).as("the mutants reach every outcome").containsKeys(200, 400, 413, 415);
    assertThat(sink.items.get()).as("some mutants still carry valid data").isPositive();
  }

  private static byte[] drain(EmbeddedChannel channel) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
      ByteBuf b = (ByteBuf) o;
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      b.release();
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  /** Every response: a status line, headers, a body of exactly Content-Length, an OTLP body. */
  private void checkResponses(byte[] out, byte[] input) throws Exception {
    String text = new String(out, StandardCharsets.ISO_8859_1);
    int at = 0;
    while (at < text.length()) {
      int headEnd = text.indexOf("\r\n\r\n", at);
      if (headEnd < 0) fail("no response head in " + text + " for input " + preview(input));
      String[] lines = text.substring(at, headEnd).split("\r\n");
      if (!lines[0].startsWith("HTTP/1.1 ")) fail("bad status line " + lines[0] + " for input " + preview(input));
      int status = Integer.parseInt(lines[0].substring(9, 12));
      statuses.merge(status, 1, Integer::sum);
      if (status == 100) {
        at = headEnd + 4;
        continue;
      }
      if (!STATUSES.contains(status)) fail("status " + status + " for input " + preview(input));
      String type = null;
      int length = -1;
      for (String l : lines) {
        String lower = l.toLowerCase();
        if (lower.startsWith("content-length:")) length = Integer.parseInt(l.substring(15).trim());
        if (lower.startsWith("content-type:")) type = l.substring(13).trim();
      }
      if (length < 0 || headEnd + 4 + length > out.length) fail("no or wrong content-length in " + text);
      byte[] body = java.util.Arrays.copyOfRange(out, headEnd + 4, headEnd + 4 + length);
      if (status != 200 && status != 408) {
        if ("application/json".equals(type)) {
          com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder();
          JsonFormat.parser().merge(new String(body, StandardCharsets.UTF_8), s);
          if (s.getMessage().isEmpty()) fail("JSON Status without a message: " + text);
        } else if (com.google.rpc.Status.parseFrom(body).getMessage().isEmpty()) {
          fail("Status without a message: " + text);
        }
      }
      at = headEnd + 4 + length;
    }
  }

  private static String preview(byte[] input) {
    String s = new String(input, 0, Math.min(input.length, 300), StandardCharsets.ISO_8859_1);
    return s.replaceAll("[^\\x20-\\x7e]", ".");
  }

  private byte[] mutant() {
    Seed seed = seeds.get(random.nextInt(seeds.size()));
    int kind = random.nextInt(10);
    byte[] body = seed.body();
    String extra = "";
    String type = seed.contentType();
    switch (kind) {
      case 0, 1, 2 -> body = mutateBytes(body);
      case 3 -> {
        body = OtlpRequests.gzip(random.nextBoolean() ? body : mutateBytes(body));
        if (random.nextBoolean()) body = mutateBytes(body);
        extra = "content-encoding: gzip\r\n";
      }
      case 4 -> {
        return framing(seed);
      }
      case 5 -> type = pick("application/json", "application/x-protobuf", "text/plain", "application/json; charset=utf-8", "");
      case 6 -> body = java.util.Arrays.copyOf(body, random.nextInt(body.length + 1));
      case 7 -> body = nested();
      default -> {} // unchanged: valid requests must keep working between the broken ones
    }
    return RawHttp.post(seed.path(), type, extra, body);
  }

  /** A request whose HTTP framing itself is broken or hostile. */
  private byte[] framing(Seed seed) {
    String head =
        switch (random.nextInt(10)) {
          case 0 -> "POST " + seed.path() + " HTTP/1.1\r\ncontent-type: " + seed.contentType() + "\r\ncontent-length: -5\r\n\r\n";
          case 1 -> "POST " + seed.path() + " HTTP/1.1\r\ncontent-type: " + seed.contentType() + "\r\ncontent-length: 99999999999999999999\r\n\r\n";
          case 2 -> "POST " + seed.path() + " HTTP/1.1\r\ncontent-length: 3\r\ncontent-length: 7\r\n\r\n";
          case 9 -> "POST " + seed.path() + " HTTP/1.1\r\ncontent-type: " + seed.contentType() + "\r\ncontent-length: " + ((64 << 10) + 1) + "\r\n\r\n";
          case 3 -> "POST " + seed.path() + " HTTP/1.1\r\ncontent-type: " + seed.contentType() + "\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n";
          case 4 -> "POST /" + "a".repeat(5000) + " HTTP/1.1\r\n\r\n";
          case 5 -> "POST " + seed.path() + " HTTP/1.1\r\nx: " + "b".repeat(20000) + "\r\n\r\n";
          case 6 -> "\u0000\u0001garbage\r\n\r\n";
          case 7 -> "POST " + seed.path() + " HTTP/1.1\r\ncontent-type: " + seed.contentType() + "\r\ncontent-length: 10\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
          default -> "POST " + seed.path() + " HTTP/1.1\r\ncontent-type: " + seed.contentType() + "\r\nexpect: 100-continue\r\ncontent-length: " + seed.body().length + "\r\n\r\n";
        };
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = java.util.Arrays.copyOf(h, h.length + seed.body().length);
    System.arraycopy(seed.body(), 0, all, h.length, seed.body().length);
    return all;
  }

  private byte[] mutateBytes(byte[] in) {
    byte[] b = in.clone();
    int n = 1 + random.nextInt(8);
    for (int i = 0; i < n && b.length > 0; i++) {
      int at = random.nextInt(b.length);
      switch (random.nextInt(4)) {
        case 0 -> b[at] = (byte) random.nextInt(256);
        case 1 -> b[at] ^= (byte) (1 << random.nextInt(8));
        case 2 -> b[at] = (byte) (int) pick(0x00, 0x7f, 0x80, 0xff, (int) '"', (int) '{', (int) '[', (int) '9', (int) '-');
        default -> {
          byte[] grown = new byte[b.length + 1];
          System.arraycopy(b, 0, grown, 0, at);
          grown[at] = (byte) random.nextInt(256);
          System.arraycopy(b, at, grown, at + 1, b.length - at);
          b = grown;
        }
      }
    }
    return b;
  }

  /** Deep nesting, against recursion in either parser. */
  private byte[] nested() {
    return NESTED.get(random.nextInt(NESTED.size()));
  }

  private static final List<byte[]> NESTED = nestedPayloads();

  /** JSON arrays and protobuf AnyValue arrays nested 50 to 3,000 deep (parsers stop at 100). */
  private static List<byte[]> nestedPayloads() {
    List<byte[]> out = new ArrayList<>();
    for (int depth : new int[] {50, 99, 101, 1000, 3000}) {
      out.add(("{\"resourceLogs\":" + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8));
      byte[] inner = new byte[0];
      for (int i = 0; i < depth; i++) {
        // AnyValue{array_value (5): ArrayValue{values (1): inner}}, built from the outside in.
        byte[] array = lengthDelimited(1, inner);
        inner = lengthDelimited(5, array);
      }
      out.add(lengthDelimited(1, lengthDelimited(2, inner))); // as if a request's first field
    }
    return out;
  }

  private static byte[] lengthDelimited(int field, byte[] payload) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 8);
    b.write(field << 3 | 2);
    for (int v = payload.length; ; v >>>= 7) {
      if (v < 0x80) {
        b.write(v);
        break;
      }
      b.write((v & 0x7f) | 0x80);
    }
    b.writeBytes(payload);
    return b.toByteArray();
  }

  @SafeVarargs
  private <T> T pick(T... options) {
    return options[random.nextInt(options.length)];
  }

  private static List<Seed> seeds() {
    List<Seed> out = new ArrayList<>();
    KeyValue kv =
        KeyValue.newBuilder()
            .setKey("k")
            .setValue(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(OtlpRequests.attr("a", "b"))))
            .build();
    var metrics =
        List.of(
            OtlpRequests.gauge("fuzz.gauge", 8),
            OtlpRequests.histogramWithOneBadPoint(),
            OtlpRequests.wrap(
                Metric.newBuilder()
                    .setName("fuzz.sum")
                    .setSum(Sum.newBuilder().setAggregationTemporalityValue(1).setIsMonotonic(true)
                        .addDataPoints(io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder().setAsInt(5).addAttributes(kv)))
                    .build()),
            OtlpRequests.wrap(
                Metric.newBuilder()
                    .setName("fuzz.exp")
                    .setExponentialHistogram(ExponentialHistogram.newBuilder().setAggregationTemporalityValue(2)
                        .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setScale(3).setCount(4).setZeroCount(1)
                            .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-2).addBucketCounts(1).addBucketCounts(2))))
                    .build()),
            OtlpRequests.wrap(
                Metric.newBuilder()
                    .setName("fuzz.summary")
                    .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder().setCount(2).setSum(3)
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(1))))
                    .build()));
    var logs =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder().addLogRecords(
                LogRecord.newBuilder().setSeverityNumberValue(9).setBody(AnyValue.newBuilder().setStringValue("hello")).addAttributes(kv)
                    .setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8])))))
            .build();
    var traces =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(
                Span.newBuilder().setName("s").setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8])))))
            .build();
    try {
      for (var m : metrics) {
        out.add(new Seed("/v1/metrics", "application/x-protobuf", m.toByteArray()));
        out.add(new Seed("/v1/metrics", "application/json", json(m)));
      }
      out.add(new Seed("/v1/logs", "application/x-protobuf", logs.toByteArray()));
      out.add(new Seed("/v1/logs", "application/json", json(logs)));
      out.add(new Seed("/v1/traces", "application/x-protobuf", traces.toByteArray()));
      out.add(new Seed("/v1/traces", "application/json", json(traces)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return out;
  }

  /** OTLP/JSON: the proto3 mapping with hex ids (OtlpJsonIds' inverse, done by hand here). */
  private static byte[] json(com.google.protobuf.Message m) throws Exception {
    String s = JsonFormat.printer().omittingInsignificantWhitespace().print(m);
    s = s.replace("\"AAAAAAAAAAAAAAAAAAAAAA==\"", "\"00000000000000000000000000000000\"").replace("\"AAAAAAAAAAA=\"", "\"0000000000000000\"");
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
