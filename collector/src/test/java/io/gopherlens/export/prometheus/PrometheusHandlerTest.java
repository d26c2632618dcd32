package io.gopherlens.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrometheusHandlerTest {
  private final AtomicBoolean ready = new AtomicBoolean(true);
  private PrometheusMetricReader reader;
  private SdkMeterProvider provider;
  private EmbeddedChannel channel;

  @BeforeEach
  void setUp() {
    reader = new PrometheusMetricReader();
    provider =
        SdkMeterProvider.builder()
            .setResource(Resource.empty())
            .registerMetricReader(reader)
            .build();
    provider.get("test").counterBuilder("scrapes.seen").build().add(3);
    channel = new EmbeddedChannel(handler(reader));
  }

  @AfterEach
  void tearDown() {
    channel.finishAndReleaseAll();
    provider.close();
  }

  private PrometheusHandler handler(PrometheusMetricReader r) {
    return new PrometheusHandler(
        new PrometheusScraper(r, PrometheusTextWriter.create()), ready::get);
  }

  @Test
  void channelRead_metricsWithoutAccept_servesText004() {
    FullHttpResponse response = exchange(request(HttpMethod.GET, "/metrics"));

    assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE))
        .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(body(response))
        .isEqualTo(
            "# TYPE scrapes_seen_total counter\n"
                + "scrapes_seen_total{otel_scope_name=\"test\"} 3\n");
    response.release();
  }

  @Test
  void channelRead_metricsAcceptingOpenMetrics_servesOpenMetrics() {
    FullHttpRequest request = request(HttpMethod.GET, "/metrics?debug=1");
    request.headers().set(HttpHeaderNames.ACCEPT, ExpositionFormatTest.PROMETHEUS_ACCEPT);

    FullHttpResponse response = exchange(request);

    assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE))
        .isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(body(response))
        .isEqualTo(
            "# TYPE scrapes_seen counter\n"
                + "scrapes_seen_total{otel_scope_name=\"test\"} 3\n"
                + "# EOF\n");
    response.release();
  }

  @Test
  void channelRead_headMetrics_headersWithoutBody() {
    FullHttpResponse get = exchange(request(HttpMethod.GET, "/metrics"));
    int getLength = get.content().readableBytes();
    get.release();

    FullHttpResponse head = exchange(request(HttpMethod.HEAD, "/metrics"));

    assertThat(head.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(head.content().readableBytes()).isZero();
    assertThat(head.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(getLength);
    head.release();
  }

  @Test
  void channelRead_healthz_ok() {
    FullHttpResponse response = exchange(request(HttpMethod.GET, "/healthz"));

    assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(body(response)).isEqualTo("ok");
    response.release();
  }

  @Test
  void channelRead_readyz_followsReadiness() {
    FullHttpResponse ok = exchange(request(HttpMethod.GET, "/readyz"));
    ready.set(false);
    FullHttpResponse notReady = exchange(request(HttpMethod.GET, "/readyz"));

    assertThat(ok.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(body(ok)).isEqualTo("ready");
    assertThat(notReady.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
    assertThat(body(notReady)).isEqualTo("not ready");
    ok.release();
    notReady.release();
  }

  @Test
  void channelRead_unknownPath_404() {
    FullHttpResponse response = exchange(request(HttpMethod.GET, "/metricz"));

    assertThat(response.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    assertThat(body(response)).contains("/metricz").contains("/metrics");
    response.release();
  }

  @Test
  void channelRead_post_405WithAllow() {
    FullHttpResponse response = exchange(request(HttpMethod.POST, "/metrics"));

    assertThat(response.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
    assertThat(response.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
    response.release();
  }

  @Test
  void channelRead_malformedRequest_400AndClose() {
    FullHttpRequest request = request(HttpMethod.GET, "/metrics");
    request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("bad")));

    FullHttpResponse response = exchange(request);

    assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    assertThat(channel.isOpen()).isFalse();
    response.release();
  }

  @Test
  void channelRead_connectionClose_closesAfterResponse() {
    FullHttpRequest request = request(HttpMethod.GET, "/healthz");
    request.headers().set(HttpHeaderNames.CONNECTION, "close");

    FullHttpResponse response = exchange(request);

    assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    assertThat(channel.isOpen()).isFalse();
    response.release();
  }

  @Test
  void channelRead_scrapeFails_500WithReason() {
    PrometheusMetricReader broken = new PrometheusMetricReader();
    broken.register(
        new CollectionRegistration() {
          @Override
          public Collection<MetricData> collectAllMetrics() {
            throw new IllegalStateException("meter provider exploded");
          }
        });
    EmbeddedChannel failing = new EmbeddedChannel(handler(broken));
    failing.writeInbound(request(HttpMethod.GET, "/metrics"));
    FullHttpResponse response = failing.readOutbound();

    assertThat(response.status()).isEqualTo(HttpResponseStatus.INTERNAL_SERVER_ERROR);
    assertThat(body(response)).contains("meter provider exploded");
    response.release();
    failing.finishAndReleaseAll();
  }

  @Test
  void initializer_fullPipeline_servesRawHttp() {
    EmbeddedChannel wire =
        new EmbeddedChannel(
            new PrometheusServerInitializer(handler(reader), Duration.ofMinutes(1)));
    wire.writeInbound(ascii("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));

    assertThat(readAll(wire))
        .startsWith("HTTP/1.1 200 OK\r\n")
        .contains("content-length: 2\r\n")
        .endsWith("\r\n\r\nok");
    wire.finishAndReleaseAll();
  }

  @Test
  void initializer_requestBodyOverLimit_413() {
    EmbeddedChannel wire =
        new EmbeddedChannel(
            new PrometheusServerInitializer(handler(reader), Duration.ofMinutes(1)));
    int size = PrometheusServerInitializer.MAX_REQUEST_BODY_BYTES + 1;
    wire.writeInbound(
        ascii(
            "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + size
                + "\r\n\r\n"
                + "x".repeat(size)));

    assertThat(readAll(wire)).startsWith("HTTP/1.1 413 Request Entity Too Large\r\n");
    wire.finishAndReleaseAll();
  }

  private FullHttpResponse exchange(FullHttpRequest request) {
    channel.writeInbound(request);
    FullHttpResponse response = channel.readOutbound();
    assertThat(response).as("a response").isNotNull();
    return response;
  }

  private static FullHttpRequest request(HttpMethod method, String uri) {
    return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
  }

  private static String body(FullHttpResponse response) {
    return response.content().toString(StandardCharsets.UTF_8);
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  private static String readAll(EmbeddedChannel wire) {
    StringBuilder out = new StringBuilder();
    for (ByteBuf chunk; (chunk = wire.readOutbound()) != null; ) {
      out.append(chunk.toString(StandardCharsets.UTF_8));
      chunk.release();
    }
    return out.toString();
  }
}
